namespace CdnPlatform.Bench.Eviction;

/// <summary>
/// Least recently used within a byte budget: the textbook yardstick the policies are read against (a linked
/// list moved on every hit, which is why the store does not use it). Not a product option.
/// </summary>
internal sealed class LruYardstick(long capacityBytes)
{
    private readonly LinkedList<int> _recency = new();
    private readonly Dictionary<int, (LinkedListNode<int> Node, long Bytes)> _held = [];
    private long _bytes;

    /// <summary>Asks for the object; true on a hit. A miss stores it, evicting the least recently used until it fits.</summary>
    public bool Request(int id, long bytes)
    {
        if (_held.TryGetValue(id, out var held))
        {
            _recency.Remove(held.Node);
            _recency.AddFirst(held.Node);
            return true;
        }
        if (bytes > capacityBytes)
        {
            return false;
        }
        while (_bytes + bytes > capacityBytes)
        {
            var oldest = _recency.Last!;
            _recency.RemoveLast();
            _bytes -= _held[oldest.Value].Bytes;
            _held.Remove(oldest.Value);
        }
        _held[id] = (_recency.AddFirst(id), bytes);
        _bytes += bytes;
        return false;
    }
}
