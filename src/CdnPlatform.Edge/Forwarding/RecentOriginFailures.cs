using System.Collections.Concurrent;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// The origin addresses that could not be reached lately, shared by every fetch of this edge, so that after
/// one visitor's request found an address dead the next ones go straight to the site's next address. An
/// address is forgotten when it answers again or <see cref="EdgeOptions.FailedOriginSkipSeconds"/> after it failed.
/// </summary>
internal sealed class RecentOriginFailures
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failedAt = new(StringComparer.OrdinalIgnoreCase);
    // Kept after the address answers again, for the edge's view of its origins (only written when a fetch fails).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFailedAt = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly TimeSpan _skip;

    public RecentOriginFailures(TimeProvider time, EdgeOptions options)
    {
        _time = time;
        _skip = TimeSpan.FromSeconds(options.FailedOriginSkipSeconds);
        IsRecent = origin => _failedAt.TryGetValue(origin, out var failedAt) && _time.GetUtcNow() - failedAt < _skip;
    }

    /// <summary>Whether the address failed within the skip period (one delegate for every fetch: none allocated per request).</summary>
    public Predicate<string> IsRecent { get; }

    public void Failed(string origin)
    {
        var now = _time.GetUtcNow();
        _failedAt[origin] = now;
        _lastFailedAt[origin] = now;
    }

    /// <summary>Whether the last fetch to the address after <paramref name="since"/> failed (none answered after it).</summary>
    public bool FailedSince(string origin, DateTimeOffset since) => _failedAt.TryGetValue(origin, out var failedAt) && failedAt > since;

    /// <summary>When a fetch last failed to reach the address or got no response; null if none ever did.</summary>
    public DateTimeOffset? LastFailure(string origin) => _lastFailedAt.TryGetValue(origin, out var at) ? at : null;

    public void Answered(string origin)
    {
        // Most fetches reach an origin that never failed: a lock-free lookup, not a write.
        if (_failedAt.ContainsKey(origin))
        {
            _failedAt.TryRemove(origin, out _);
        }
    }
}
