using System.Collections.Concurrent;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// Something kept per purge for the last <c>Control:PurgeHistory</c> purges and forgotten after: what the
/// control plane holds in memory about purges stays bounded however long it runs.
/// </summary>
public sealed class RecentPurges<T> where T : class
{
    private readonly ConcurrentDictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly int _capacity;

    public RecentPurges(int capacity) => _capacity = capacity;

    public int Count => _byId.Count;

    /// <summary>Keeps <paramref name="value"/> for purge <paramref name="id"/>, forgetting the oldest beyond the capacity.</summary>
    public void Add(string id, T value)
    {
        _byId[id] = value;
        _order.Enqueue(id);
        while (_order.Count > _capacity && _order.TryDequeue(out var oldest))
        {
            _byId.TryRemove(oldest, out _);
        }
    }

    public T? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Up to <paramref name="count"/> of the values kept, newest first, those <paramref name="wanted"/> only.</summary>
    public IReadOnlyList<T> Newest(int count, Func<T, bool> wanted)
    {
        // The order queue may still name ids just forgotten (evicted, or removed): those are skipped.
        var newest = new List<T>(Math.Min(count, _byId.Count));
        var ids = _order.ToArray();
        for (var i = ids.Length - 1; i >= 0 && newest.Count < count; i--)
        {
            if (_byId.TryGetValue(ids[i], out var value) && wanted(value))
            {
                newest.Add(value);
            }
        }
        return newest;
    }

    public void Remove(string id) => _byId.TryRemove(id, out _);
}
