using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Keeps asking the datacenter's Redis for a <c>PING</c> (four times per <see cref="Limit"/>) so that <c>/healthz</c>
/// can say at once that the storage has gone silent, instead of waiting on it. A stalled Redis (paused, swapping, a
/// long fork) accepts commands and answers none: a readiness check that asked it would itself hang until the client's
/// timeout (3 s), longer than the gateways' probes wait, so the gateways learnt of it only from probes that timed
/// out, two in a row, each round a second after the last ended. With the watch the node answers 503 within a second
/// of the stall, and the gateways take it out on that answer (issue 12's datacenter failover, a Redis stall).
/// </summary>
public sealed partial class StorageWatch : BackgroundService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageWatch> _logger;
    private readonly Lock _gate = new();
    // When the oldest ping not yet answered was sent (a TimeProvider timestamp); null while the last one was answered.
    // A ping that failed (the client's timeout) leaves it as it was: the silence goes on until one is answered.
    private long? _unansweredSince;
    // The present answering spell: cancelled when a ping has gone unanswered for the limit (its timer runs on the
    // TimeProvider from each spell's first unanswered ping), replaced by a fresh one at the next answer.
    private CancellationTokenSource _answering;
    private bool _reportedSilent;

    /// <param name="limit">How long a ping may go unanswered before the storage counts as silent (<c>Origin:StorageSilenceMilliseconds</c>).</param>
    public StorageWatch(IConnectionMultiplexer redis, TimeSpan limit, TimeProvider time, ILogger<StorageWatch> logger)
    {
        _redis = redis;
        Limit = limit;
        _time = time;
        _logger = logger;
        _answering = NewSpell();
    }

    public TimeSpan Limit { get; }

    /// <summary>How long the oldest unanswered ping has waited; zero when the last one was answered.</summary>
    public TimeSpan Silence
    {
        get
        {
            lock (_gate)
            {
                return _unansweredSince is { } since ? _time.GetElapsedTime(since) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Whether the storage has left a ping unanswered for <see cref="Limit"/> or longer.</summary>
    public bool IsSilent => Silence >= Limit;

    /// <summary>
    /// Cancelled the moment the storage falls silent (as <see cref="IsSilent"/> turns true, without waiting for the
    /// watch's loop); a token taken after it answers again is a fresh one. A read holds it so that the stall it is
    /// waiting in gives it up at once, rather than after the client's timeout.
    /// </summary>
    public CancellationToken SilenceToken
    {
        get
        {
            lock (_gate)
            {
                return _answering.Token;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Limit / 4, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PingAsync(stoppingToken);
            Report();
        }
    }

    /// <summary>Sends one ping and waits for its answer or its failure (the loop's step, called by tests with a moved clock).</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_unansweredSince is null)
            {
                _unansweredSince = _time.GetTimestamp();
                _answering.CancelAfter(Limit);
            }
        }
        try
        {
            await _redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unanswered (the client's timeout, a lost connection, whatever else it throws): the silence started by the
            // first unanswered ping goes on, and the watch with it; it must never be what stops the node.
            return;
        }
        lock (_gate)
        {
            _unansweredSince = null;
            if (_answering.IsCancellationRequested)
            {
                // Whoever held the old token has been told; disposing a cancelled source leaves its token cancelled.
                _answering.Dispose();
                _answering = NewSpell();
            }
            else
            {
                _answering.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    // Made with the TimeProvider so that its CancelAfter runs on the same clock as Silence (a test moves both).
    private CancellationTokenSource NewSpell() => new(Timeout.InfiniteTimeSpan, _time);

    public override void Dispose()
    {
        base.Dispose();
        lock (_gate)
        {
            _answering.Dispose();
        }
    }

    // Once per change, from the loop: what ops read in the node's log beside the gateways' "node left rotation".
    private void Report()
    {
        var silent = IsSilent;
        if (silent != _reportedSilent)
        {
            _reportedSilent = silent;
            if (silent)
            {
                Log.Silent(_logger, (long)Limit.TotalMilliseconds);
            }
            else
            {
                Log.Answering(_logger);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The datacenter's Redis has not answered a ping for {Milliseconds} ms: not ready")]
        public static partial void Silent(ILogger logger, long milliseconds);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The datacenter's Redis answers again")]
        public static partial void Answering(ILogger logger);
    }
}
