using System.Collections.Concurrent;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// Remembers recent purges and collects the edges' acknowledgements for them. Held in memory: a control
/// plane restart forgets purge status (not the purges themselves, which the edges already applied); the
/// durable purge log is issue 4.
/// </summary>
public sealed class PurgeTracker : IHostedService
{
    private readonly ConcurrentDictionary<string, PurgeRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly IPurgeBus _bus;
    private readonly int _history;
    private IAsyncDisposable? _subscription;

    public PurgeTracker(IPurgeBus bus, ControlOptions options)
    {
        _bus = bus;
        _history = options.PurgeHistory;
        ExpectedEdges = options.Edges.Select(e => e.Name).ToArray();
    }

    public IReadOnlyList<string> ExpectedEdges { get; }

    public int Count => _records.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Listening for acks starts before the API accepts its first purge.
        _subscription = await _bus.SubscribeAcksAsync(OnAck, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    /// <summary>Starts tracking a purge; call before publishing it so no acknowledgement can arrive first.</summary>
    public void Track(PurgeRecord record)
    {
        _records[record.Id] = record;
        _order.Enqueue(record.Id);
        while (_order.Count > _history && _order.TryDequeue(out var oldest))
        {
            _records.TryRemove(oldest, out _);
        }
    }

    public PurgeRecord? Find(string id) => _records.GetValueOrDefault(id);

    private Task OnAck(PurgeAck ack)
    {
        _records.GetValueOrDefault(ack.PurgeId)?.Acknowledge(ack.Edge, ack.AppliedAt);
        return Task.CompletedTask;
    }
}
