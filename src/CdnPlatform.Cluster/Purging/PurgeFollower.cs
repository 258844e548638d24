using Microsoft.Extensions.Logging;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// An edge's reader of the purge log: applies every entry after its mark, in order, exactly once per
/// process, records the mark and acknowledges. Announcements wake it at once; a poll catches what
/// announcements missed (a dropped connection, a restart). If the log was trimmed past its mark, it
/// cannot know what it missed, so it drops everything it holds and says so.
/// </summary>
public sealed partial class PurgeFollower : IAsyncDisposable
{
    private const int BatchSize = 256;
    private readonly IPurgeBus _bus;
    private readonly string _edge;
    private readonly Func<PurgeMessage, Task> _apply;
    private readonly Func<Task> _dropEverything;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private IAsyncDisposable? _announcements;
    private Task _loop = Task.CompletedTask;
    private long _mark = -1;
    // Applied but not yet recorded and acknowledged (Redis may fail right after an apply): flushed first on every round.
    private readonly List<PurgeAck> _unrecorded = [];

    public PurgeFollower(IPurgeBus bus, string edge, Func<PurgeMessage, Task> apply, Func<Task> dropEverything,
        TimeProvider time, ILogger logger, TimeSpan pollInterval)
    {
        _bus = bus;
        _edge = edge;
        _apply = apply;
        _dropEverything = dropEverything;
        _time = time;
        _logger = logger;
        _pollInterval = pollInterval;
    }

    /// <summary>The last sequence applied; -1 until the first successful read of the log.</summary>
    public long Mark => Interlocked.Read(ref _mark);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _announcements = await _bus.SubscribeAnnouncementsAsync(_ => { Wake(); return Task.CompletedTask; }, cancellationToken);
        }
        catch (PurgeLogUnavailableException e)
        {
            // The edge serves without the log; the poll keeps trying and catches up when it is back.
            Log.Unavailable(_logger, e.Message);
        }
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake: one catch-up reads everything appended so far.
            }
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync();
            }
            catch (PurgeLogUnavailableException e)
            {
                Log.Unavailable(_logger, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(_logger, e);
            }
            try
            {
                await _wake.WaitAsync(_pollInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CatchUpAsync()
    {
        if (_mark < 0)
        {
            // A node with no mark has never held anything a past purge could concern: start at the end.
            var saved = await _bus.LoadAppliedAsync(_edge);
            var start = saved ?? (await _bus.ReadAsync(long.MaxValue - 1, 1)).Last;
            Interlocked.Exchange(ref _mark, start);
            if (saved is null)
            {
                await _bus.SaveAppliedAsync(_edge, start);
            }
        }
        await RecordAsync();
        while (!_stop.IsCancellationRequested)
        {
            var slice = await _bus.ReadAsync(_mark, BatchSize);
            if (slice.HasGapAfter(_mark))
            {
                Log.Gap(_logger, _mark, slice.FirstAvailable);
                await _dropEverything();
                Interlocked.Exchange(ref _mark, slice.FirstAvailable - 1);
                continue;
            }
            try
            {
                foreach (var entry in slice.Entries)
                {
                    await _apply(entry);
                    Interlocked.Exchange(ref _mark, entry.Sequence);
                    _unrecorded.Add(new PurgeAck(entry.Id, _edge, _time.GetUtcNow()));
                }
            }
            finally
            {
                // Also for the part of a batch applied before an apply failed (retried from the next entry).
                await RecordAsync();
            }
            if (slice.Entries.Count < BatchSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One mark per batch, then the acknowledgements together. If Redis fails here, they stay pending and
    /// the next round records them first. A crash in between re-applies a few purges after the restart:
    /// harmless, a purge is idempotent; losing one is not.
    /// </summary>
    private async Task RecordAsync()
    {
        if (_unrecorded.Count == 0)
        {
            return;
        }
        await _bus.SaveAppliedAsync(_edge, Interlocked.Read(ref _mark));
        await Task.WhenAll(_unrecorded.Select(ack => _bus.AcknowledgeAsync(ack)));
        _unrecorded.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_announcements is not null)
        {
            try
            {
                await _announcements.DisposeAsync();
            }
            catch (Exception e) when (e is PurgeLogUnavailableException or StackExchange.Redis.RedisConnectionException)
            {
                // Unsubscribing from a Redis that is gone: nothing left to undo.
            }
        }
        await _loop;
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Purge log unavailable, will retry: {Reason}")]
        public static partial void Unavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Applying the purge log failed, will retry")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
            Message = "The purge log no longer reaches back to sequence {Mark} (oldest is {First}): purges were missed, so everything cached here is dropped")]
        public static partial void Gap(ILogger logger, long mark, long first);
    }
}
