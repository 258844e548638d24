using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// An edge's reader of the purge log: applies every entry after its mark, in order, exactly once per
/// process, acknowledges each and records the mark. An announcement that carries the next entry is
/// applied straight away; anything else (a missed announcement, a poll, a start) reads the log from the
/// mark. If the log was trimmed past the mark, it cannot know what it missed, so it drops everything it
/// holds and says so.
/// </summary>
/// <remarks>
/// The path every purge waits for is announcement → apply → acknowledgement, with no Redis write on it:
/// the durable mark is saved at most every <c>markSaveDelay</c> (and when the follower stops). A crash in
/// between re-applies the last few purges after the restart, which is harmless — a purge is idempotent —
/// while each mark write would cost an fsync under <c>appendfsync always</c>. The application's
/// <see cref="TimeProvider"/> gives the times it reports; the loop's own intervals run on real time.
/// </remarks>
public sealed partial class PurgeFollower : IAsyncDisposable
{
    private const int BatchSize = 256;

    /// <summary>Announced entries kept for the loop beyond this are dropped: it reads them from the log.</summary>
    private const int MaxBuffered = 10_000;

    public static readonly TimeSpan DefaultMarkSaveDelay = TimeSpan.FromMilliseconds(100);

    private readonly IPurgeBus _bus;
    private readonly string _edge;
    private readonly Func<PurgeMessage, Task> _apply;
    private readonly Func<Task> _dropEverything;
    private readonly TimeProvider _time;
    // Polls and mark saves are timed on real time even when the application clock is a test's frozen one,
    // which would stop them; the wait between rounds (SemaphoreSlim) is real time too.
    private readonly TimeProvider _loopClock = TimeProvider.System;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _markSaveDelay;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<PurgeMessage> _announced = new();
    private IAsyncDisposable? _announcements;
    private Task _loop = Task.CompletedTask;
    private long _mark = -1;
    private long _highestAnnounced;
    private long _lastRead;
    // Applied but not yet acknowledged (Redis may fail right after an apply): sent first on every round.
    private readonly List<PurgeAck> _unacknowledged = [];
    private long _savedMark = -1;
    private long _lastSave;
    private long _lastLogRead;

    public PurgeFollower(IPurgeBus bus, string edge, Func<PurgeMessage, Task> apply, Func<Task> dropEverything,
        TimeProvider time, ILogger logger, TimeSpan pollInterval, TimeSpan? markSaveDelay = null)
    {
        _bus = bus;
        _edge = edge;
        _apply = apply;
        _dropEverything = dropEverything;
        _time = time;
        _logger = logger;
        _pollInterval = pollInterval;
        _markSaveDelay = markSaveDelay ?? DefaultMarkSaveDelay;
    }

    /// <summary>The last sequence applied; -1 until the first successful read of the log.</summary>
    public long Mark => Interlocked.Read(ref _mark);

    /// <summary>
    /// The newest sequence this follower has heard of, announced or read; an edge cut off from the log cannot know a
    /// newer one, so the control plane's view of each edge's applied mark is the authority on lag.
    /// </summary>
    public long Heard => Math.Max(Interlocked.Read(ref _highestAnnounced), Interlocked.Read(ref _lastRead));

    /// <summary>
    /// Subscribes and settles where in the log to start before returning, so a node that serves only after
    /// this cannot miss a purge published in between. When the log is unreachable it returns anyway: the
    /// node serves without it and the loop keeps trying.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TrySubscribeAsync(logFailure: true, cancellationToken);
        try
        {
            await StartFromTheLogAsync(servedMeanwhile: false);
        }
        catch (PurgeLogUnavailableException e)
        {
            Log.Unavailable(_logger, e.Message);
        }
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Without announcements the loop still polls; it subscribes again on each round until it works.</summary>
    private async Task<bool> TrySubscribeAsync(bool logFailure, CancellationToken cancellationToken)
    {
        try
        {
            _announcements = await _bus.SubscribeAnnouncementsAsync(OnAnnounced, cancellationToken);
            return true;
        }
        catch (PurgeLogUnavailableException e)
        {
            if (logFailure)
            {
                Log.Unavailable(_logger, e.Message);
            }
            return false;
        }
    }

    /// <summary>
    /// Sets the first mark: the saved one, or — for a node that never saved one, and so never held anything
    /// an older purge could concern — the end of the log. A node that has been serving meanwhile
    /// (<paramref name="servedMeanwhile"/>) may hold what purges published since its start concern, and it
    /// cannot tell them from older ones, so it drops everything first.
    /// </summary>
    private async Task StartFromTheLogAsync(bool servedMeanwhile)
    {
        var saved = await _bus.LoadAppliedAsync(_edge);
        var start = saved ?? (await _bus.ReadAsync(long.MaxValue - 1, 1)).Last;
        if (saved is null && servedMeanwhile)
        {
            Log.StartedLate(_logger, start);
            await _dropEverything();
        }
        Interlocked.Exchange(ref _mark, start);
        if (saved is null)
        {
            await _bus.SaveAppliedAsync(_edge, start);
            _lastSave = _loopClock.GetTimestamp();
        }
        _savedMark = start;
    }

    private Task OnAnnounced(PurgeAnnouncement announcement)
    {
        // The entry is queued before the sequence is published as announced: a loop that sees the sequence
        // and not the entry knows it was not carried (see NeedsLog).
        if (announcement.Purge is { } purge && _announced.Count < MaxBuffered)
        {
            _announced.Enqueue(purge);
        }
        InterlockedMax(ref _highestAnnounced, announcement.Sequence);
        Wake();
        return Task.CompletedTask;
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
                // Already awake: one round takes everything announced so far.
            }
        }
    }

    private async Task RunAsync()
    {
        var readLog = true;
        while (!_stop.IsCancellationRequested)
        {
            var failed = true;
            try
            {
                // Announcements sent before a late subscription were missed: the log has them.
                readLog |= _announcements is null && await TrySubscribeAsync(logFailure: false, CancellationToken.None);
                await CatchUpAsync(readLog);
                failed = false;
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
                // After a failure, only an announcement or the next poll tries again: no tight retry loop.
                var woken = await _wake.WaitAsync(failed ? _pollInterval : NextTimeout(), _stop.Token);
                readLog = !woken && _loopClock.GetElapsedTime(_lastLogRead) >= _pollInterval;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Last words: what was applied is acknowledged and its mark saved, so a restart resumes after it.
        try
        {
            await RecordAsync(saveMark: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Unavailable(_logger, e.Message);
        }
    }

    /// <summary>Until the next poll, or sooner if a mark or acknowledgements are waiting to be recorded.</summary>
    private TimeSpan NextTimeout()
    {
        var untilPoll = _pollInterval - _loopClock.GetElapsedTime(_lastLogRead);
        if (_unacknowledged.Count > 0 || (_mark >= 0 && _mark > _savedMark))
        {
            var untilSave = _markSaveDelay - _loopClock.GetElapsedTime(_lastSave);
            untilPoll = untilSave < untilPoll ? untilSave : untilPoll;
        }
        return untilPoll < TimeSpan.Zero ? TimeSpan.Zero : untilPoll;
    }

    private async Task CatchUpAsync(bool readLog)
    {
        if (_mark < 0)
        {
            await StartFromTheLogAsync(servedMeanwhile: true);
            readLog = true;
        }
        await RecordAsync(saveMark: false);
        try
        {
            await ApplyAnnouncedAsync();
        }
        finally
        {
            await RecordAsync(saveMark: false);
        }
        // ReadLogAsync records what it applied itself, batch by batch.
        if (readLog || NeedsLog())
        {
            await ReadLogAsync();
        }
    }

    /// <summary>Applies announced entries while each is the one right after the mark.</summary>
    private async Task ApplyAnnouncedAsync()
    {
        while (_announced.TryPeek(out var next))
        {
            if (next.Sequence <= _mark)
            {
                // Already applied from the log.
                _announced.TryDequeue(out _);
                continue;
            }
            if (next.Sequence != _mark + 1)
            {
                // A gap: something before it was not announced whole; the log has it.
                return;
            }
            await ApplyOneAsync(next);
            _announced.TryDequeue(out _);
        }
    }

    /// <summary>
    /// Whether something announced is only in the log: an entry ahead of a gap waits in the queue, or a
    /// sequence was announced without its entry. The sequence is read before the queue, and entries are
    /// queued before their sequence is announced, so an entry still on its way is not mistaken for one
    /// that never came.
    /// </summary>
    private bool NeedsLog()
    {
        var announced = Interlocked.Read(ref _highestAnnounced);
        return _announced.TryPeek(out var next) ? next.Sequence > _mark + 1 : announced > _mark;
    }

    private async Task ReadLogAsync()
    {
        _lastLogRead = _loopClock.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            var slice = await _bus.ReadAsync(_mark, BatchSize);
            InterlockedMax(ref _lastRead, slice.Last);
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
                    await ApplyOneAsync(entry);
                }
            }
            finally
            {
                // Also for the part of a batch applied before an apply failed (retried from the next entry).
                await RecordAsync(saveMark: false);
            }
            if (slice.Entries.Count < BatchSize)
            {
                return;
            }
        }
    }

    private async Task ApplyOneAsync(PurgeMessage entry)
    {
        await _apply(entry);
        Interlocked.Exchange(ref _mark, entry.Sequence);
        _unacknowledged.Add(new PurgeAck(entry.Id, _edge, _time.GetUtcNow()));
    }

    /// <summary>
    /// Acknowledgements first — the control plane is waiting for them — then the mark, when
    /// <paramref name="saveMark"/> or the save delay has passed. If Redis fails here, they stay pending and
    /// the next round records them first.
    /// </summary>
    private async Task RecordAsync(bool saveMark)
    {
        if (_unacknowledged.Count > 0)
        {
            await Task.WhenAll(_unacknowledged.Select(ack => _bus.AcknowledgeAsync(ack)));
            _unacknowledged.Clear();
        }
        var mark = Interlocked.Read(ref _mark);
        if (mark > _savedMark && (saveMark || _loopClock.GetElapsedTime(_lastSave) >= _markSaveDelay))
        {
            await _bus.SaveAppliedAsync(_edge, mark);
            _savedMark = mark;
            _lastSave = _loopClock.GetTimestamp();
        }
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // The loop first: it may be subscribing, and its last words may still take announcements.
        await _loop;
        if (_announcements is not null)
        {
            try
            {
                await _announcements.DisposeAsync();
            }
            catch (PurgeLogUnavailableException)
            {
                // Unsubscribing from a log that is gone: nothing left to undo.
            }
        }
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

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
            Message = "The purge log was reached only after this node had started serving: starting at sequence {Start}, everything cached here is dropped, since purges published meanwhile cannot be told apart")]
        public static partial void StartedLate(ILogger logger, long start);
    }
}
