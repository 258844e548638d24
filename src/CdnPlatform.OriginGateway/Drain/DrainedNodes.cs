using System.Collections.Frozen;

namespace CdnPlatform.OriginGateway.Drain;

/// <summary>
/// The nodes this gateway sends no new requests to, by name. Held in memory only: a restarted gateway starts
/// with none drained and learns the drains again from the control plane, which re-asserts them every second.
/// </summary>
public sealed class DrainedNodes
{
    // Replaced whole, never changed in place: the balancing path reads it without a lock.
    private FrozenSet<string> _names = FrozenSet<string>.Empty;

    public IReadOnlySet<string> Names => Volatile.Read(ref _names);

    public bool Contains(string node) => Volatile.Read(ref _names).Contains(node);

    /// <summary>Makes <paramref name="nodes"/> the drained set; true when that changed it.</summary>
    public bool Replace(IEnumerable<string> nodes)
    {
        var next = nodes.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        var previous = Interlocked.Exchange(ref _names, next);
        return !previous.SetEquals(next);
    }
}
