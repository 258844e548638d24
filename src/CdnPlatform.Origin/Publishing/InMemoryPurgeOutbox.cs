using System.Globalization;

namespace CdnPlatform.Origin.Publishing;

/// <summary>The outbox of <c>cdnctl up</c> without Redis, shared by a datacenter's nodes in this process.</summary>
public sealed class InMemoryPurgeOutbox(TimeProvider timeProvider) : IPurgeOutbox
{
    private readonly Lock _lock = new();
    private readonly List<PendingPurge> _entries = [];
    private readonly Dictionary<string, (string Node, DateTimeOffset Until)> _claims = [];
    private long _next;

    public Task<PendingPurge> AppendAsync(IReadOnlyList<string> tags, DateTimeOffset publishedAt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var entry = new PendingPurge((++_next).ToString(CultureInfo.InvariantCulture), tags, publishedAt);
            _entries.Add(entry);
            return Task.FromResult(entry);
        }
    }

    public Task<IReadOnlyList<PendingPurge>> PendingAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PendingPurge>>([.. _entries.Take(count)]);
        }
    }

    public Task<bool> TryClaimAsync(PendingPurge entry, string node, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            if (_claims.TryGetValue(entry.EntryId, out var claim) && claim.Until > now && claim.Node != node)
            {
                return Task.FromResult(false);
            }
            _claims[entry.EntryId] = (node, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task RemoveAsync(PendingPurge entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.RemoveAll(e => e.EntryId == entry.EntryId);
            _claims.Remove(entry.EntryId);
            return Task.CompletedTask;
        }
    }
}
