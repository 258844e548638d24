using System.Collections.Concurrent;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// The purge log for the single-process default: every node holds the same instance. Same contract as
/// Redis — sequence numbers, ordered reads, trimming at <see cref="MaxEntries"/>, applied marks — so
/// the edges' catch-up logic is exercised here too; it just does not survive the process.
/// </summary>
public sealed class InMemoryPurgeBus : IPurgeBus
{
    private readonly ILogger _logger;
    private readonly Lock _log = new();
    private readonly List<PurgeMessage> _entries = [];
    private readonly ConcurrentDictionary<string, long> _applied = new(StringComparer.Ordinal);
    private long _last;
    private readonly SubscriberList<PurgeAnnouncement> _announcements;
    private readonly SubscriberList<PurgeAck> _acks;

    public InMemoryPurgeBus(ILogger<InMemoryPurgeBus>? logger = null, int maxEntries = 100_000)
    {
        _logger = logger ?? NullLogger<InMemoryPurgeBus>.Instance;
        MaxEntries = maxEntries;
        _announcements = new SubscriberList<PurgeAnnouncement>(_logger);
        _acks = new SubscriberList<PurgeAck>(_logger);
    }

    /// <summary>Entries kept; older ones are trimmed, as Redis trims its stream.</summary>
    public int MaxEntries { get; }

    public string Transport => "memory";

    public Task<PurgeMessage> PublishAsync(PurgeMessage purge, CancellationToken cancellationToken = default)
    {
        PurgeMessage appended;
        lock (_log)
        {
            appended = purge with { Sequence = ++_last };
            _entries.Add(appended);
            if (_entries.Count > MaxEntries)
            {
                _entries.RemoveRange(0, _entries.Count - MaxEntries);
            }
            // Posted under the lock: announcements of concurrent publishes leave in log order.
            _announcements.Post(new PurgeAnnouncement(appended.Sequence, appended));
        }
        return Task.FromResult(appended);
    }

    public Task<PurgeLogSlice> ReadAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        lock (_log)
        {
            var first = _entries.Count > 0 ? _entries[0].Sequence : 0;
            // Sequences are dense, so the entry after the mark sits at a computable index.
            var start = first == 0 ? 0 : (int)Math.Clamp(afterSequence + 1 - first, 0, _entries.Count);
            var entries = _entries.GetRange(start, Math.Min(max, _entries.Count - start));
            return Task.FromResult(new PurgeLogSlice(entries, first, _last));
        }
    }

    public Task<IAsyncDisposable> SubscribeAnnouncementsAsync(Func<PurgeAnnouncement, Task> onAppended, CancellationToken cancellationToken = default) =>
        Task.FromResult(_announcements.Subscribe(onAppended));

    public Task AcknowledgeAsync(PurgeAck ack, CancellationToken cancellationToken = default)
    {
        _acks.Post(ack);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAcksAsync(Func<PurgeAck, Task> onAck, CancellationToken cancellationToken = default) =>
        Task.FromResult(_acks.Subscribe(onAck));

    public Task<long?> LoadAppliedAsync(string edge, CancellationToken cancellationToken = default) =>
        Task.FromResult(_applied.TryGetValue(edge, out var sequence) ? sequence : (long?)null);

    public Task SaveAppliedAsync(string edge, long sequence, CancellationToken cancellationToken = default)
    {
        _applied.AddOrUpdate(edge, sequence, (_, current) => Math.Max(current, sequence));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, long>> LoadAllAppliedAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(_applied.ToDictionary(p => p.Key, p => p.Value));
}
