using CdnPlatform.Cluster.Purging;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// Remembers recent purges and collects the edges' acknowledgements for them. The purges themselves are
/// in the durable log; this is their status, held in memory (a restarted control plane answers for purges
/// it accepted since, and the edges' applied marks stay in the log's store).
/// </summary>
public sealed class PurgeTracker : IHostedService
{
    private readonly RecentPurges<PurgeRecord> _records;
    private readonly IPurgeBus _bus;
    private readonly TimeProvider _time;
    private IAsyncDisposable? _subscription;
    private readonly CancellationTokenSource _stopping = new();
    private Task _subscribing = Task.CompletedTask;

    private readonly Observability.PurgeMetrics? _metrics;

    public PurgeTracker(IPurgeBus bus, ControlOptions options, TimeProvider time, Observability.PurgeMetrics? metrics = null)
    {
        _metrics = metrics;
        _bus = bus;
        _time = time;
        _records = new RecentPurges<PurgeRecord>(options.PurgeHistory);
        ExpectedEdges = options.Edges.Select(e => e.Name).ToArray();
    }

    public IReadOnlyList<string> ExpectedEdges { get; }

    public int Count => _records.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Listening for acks starts before the API accepts its first purge. If the log's store is down,
        // the API answers 503 anyway; the subscription is retried, and acknowledgements missed meanwhile
        // are recovered from the edges' applied marks.
        try
        {
            _subscription = await _bus.SubscribeAcksAsync(OnAck, cancellationToken);
        }
        catch (PurgeLogUnavailableException)
        {
            _subscribing = Task.Run(SubscribeUntilItWorksAsync, CancellationToken.None);
        }
    }

    private async Task SubscribeUntilItWorksAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, _stopping.Token);
                _subscription = await _bus.SubscribeAcksAsync(OnAck, _stopping.Token);
                return;
            }
            catch (PurgeLogUnavailableException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _subscribing;
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    /// <summary>Starts tracking a purge; call before publishing it so no acknowledgement can arrive first.</summary>
    public void Track(PurgeRecord record)
    {
        _records.Add(record.Id, record);
        if (_metrics is { } metrics)
        {
            // Done completes once, when the last expected edge acknowledged (never for a purge that was not accepted).
            record.Done.ContinueWith(_ => metrics.Completed(record.Site, record.Propagation ?? TimeSpan.Zero),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Forgets a purge whose append failed: it was never accepted.</summary>
    public void Forget(string id) => _records.Remove(id);

    public PurgeRecord? Find(string id) => _records.Find(id);

    /// <summary>Up to <paramref name="count"/> of the purges still tracked, newest first, those <paramref name="wanted"/> only.</summary>
    public IReadOnlyList<PurgeRecord> Newest(int count, Func<PurgeRecord, bool> wanted) => _records.Newest(count, wanted);

    private Task OnAck(PurgeAck ack)
    {
        if (_records.Find(ack.PurgeId) is { } record)
        {
            var after = _time.GetElapsedTime(record.AcceptedTimestamp);
            // An edge's acknowledgement can come twice (pub/sub, then its applied mark): timed once.
            var first = record.AppliedAt(ack.Edge) is null;
            record.Acknowledge(ack.Edge, ack.AppliedAt, after);
            if (first)
            {
                _metrics?.EdgeAcknowledged(ack.Edge, after);
            }
        }
        return Task.CompletedTask;
    }
}
