using System.Collections.Concurrent;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Eviction;

/// <summary>
/// S3-FIFO's ghost: the keys (no content) of URLs recently evicted from the small queue, oldest forgotten
/// first, so that a URL asked for again soon after is known to be worth the main queue.
/// </summary>
/// <remarks>
/// Bounded by the bytes the remembered URLs held, at most the main queue's share of the budget: it remembers
/// about as many URLs as the main queue holds, whatever their sizes (the paper's "as many entries as M"). A key
/// forgotten early (its URL came back) still counts until its turn to leave: the bound errs toward fewer keys.
/// <see cref="Remember"/> is for one caller at a time (the evictor, under its lock); <see cref="TryForget"/>
/// may run beside it from any store.
/// </remarks>
internal sealed class GhostQueue
{
    // Each key's latest ticket: a key remembered twice is forgotten only when its newer ticket comes up.
    private readonly ConcurrentDictionary<CacheKey, long> _tickets = new();
    private readonly Queue<(CacheKey Key, long Ticket, long Bytes)> _order = new();
    private long _bytes;
    private long _lastTicket;

    /// <summary>Keys remembered now.</summary>
    public int Count => _tickets.Count;

    /// <summary>Remembers an evicted URL that held <paramref name="bytes"/>, forgetting the oldest beyond <paramref name="capacityBytes"/>.</summary>
    public void Remember(CacheKey key, long bytes, long capacityBytes)
    {
        var ticket = ++_lastTicket;
        _tickets[key] = ticket;
        _order.Enqueue((key, ticket, bytes));
        _bytes += bytes;
        while (_bytes > capacityBytes && _order.TryDequeue(out var oldest))
        {
            _bytes -= oldest.Bytes;
            _tickets.TryRemove(KeyValuePair.Create(oldest.Key, oldest.Ticket));
        }
    }

    /// <summary>Whether the key was remembered; either way it is not any more (a URL is readmitted once per eviction).</summary>
    public bool TryForget(CacheKey key) => _tickets.TryRemove(key, out _);
}
