namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// The gateway's write mode, set by the control plane (<c>PUT /gateway/writes</c>), and the writes it is holding
/// or passing now. A switchover holds writes, then waits for <see cref="InFlight"/> to reach 0 before it reads the
/// primary's replication offset: every write that got past the hold is counted in <see cref="InFlight"/> before it
/// looks at the mode (see <see cref="Enter"/>), so none can slip through unseen.
/// </summary>
public sealed class WriteControl(TimeProvider time) : IDisposable
{
    /// <summary>
    /// A gap this long between two of <see cref="PauseWatch"/>'s ticks (every 100 ms) means the gateway did not run:
    /// its host or process was paused (SIGSTOP, a frozen VM), or starved for that long.
    /// </summary>
    public static readonly TimeSpan PauseThreshold = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A mode set heard this soon after a pause was seen may have been sent before it, queued in the socket meanwhile:
    /// it applies, but does not count as the control plane's word since the pause.
    /// </summary>
    public static readonly TimeSpan HeardAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a write's answer waits after a pause for the control plane's word (it re-asserts every second) before it
    /// goes on unheard: a control plane that is gone must not stop writes for good.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private long _lastTick;
    private long _pausedAt;
    private TaskCompletionSource _heard = Released();
    private TaskCompletionSource _released = Released();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WriteMode _mode = WriteMode.Open;
    private IReadOnlyList<Uri> _forwardTo = [];
    private int _held;
    private int _inFlight;

    public WriteMode Mode
    {
        get
        {
            lock (_lock)
            {
                return _mode;
            }
        }
    }

    /// <summary>The gateways writes go to in <see cref="WriteMode.Forward"/>, in order of preference.</summary>
    public IReadOnlyList<Uri> ForwardTo
    {
        get
        {
            lock (_lock)
            {
                return _forwardTo;
            }
        }
    }

    /// <summary>
    /// Writes held here now: waiting for a switchover's hold to end, or for the active datacenter's gateways or this
    /// one's writes to open (counted from their first wait until they leave, their tries in between included).
    /// </summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Writes on their way to a node or to another datacenter now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void Set(WriteMode mode, IReadOnlyList<Uri> forwardTo)
    {
        lock (_lock)
        {
            if (mode == WriteMode.Hold && _released.Task.IsCompleted)
            {
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (mode != WriteMode.Hold)
            {
                _released.TrySetResult();
            }
            _mode = mode;
            _forwardTo = forwardTo;
            if (_pausedAt != 0 && time.GetElapsedTime(_pausedAt) >= HeardAfter)
            {
                _pausedAt = 0;
                _heard.TrySetResult();
            }
            // Every set, a re-assertion of the same mode too: a write waiting for the other datacenter tries it again.
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// Counts a write as in flight and returns the mode it goes out under, or, while writes are held, returns
    /// <see cref="WriteMode.Hold"/> with nothing counted and the task that completes when the hold ends.
    /// A caller given anything but Hold must call <see cref="Exit"/> when the write is done.
    /// </summary>
    public (WriteMode Mode, IReadOnlyList<Uri> ForwardTo, Task Released) Enter()
    {
        // Counted first: a hold set after this line finds the write in InFlight, one set before it is seen below.
        Interlocked.Increment(ref _inFlight);
        lock (_lock)
        {
            if (_mode != WriteMode.Hold)
            {
                return (_mode, _forwardTo, Task.CompletedTask);
            }
            Interlocked.Decrement(ref _inFlight);
            return (WriteMode.Hold, [], _released.Task);
        }
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The connection pool to the other datacenter's gateways, for <see cref="WriteMode.Forward"/>; lives as long as the gateway.</summary>
    public HttpMessageInvoker PeerClient { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(2),
    });

    public void Dispose() => PeerClient.Dispose();

    /// <summary>
    /// Counts a write in <see cref="Held"/> before its first wait, unless <paramref name="max"/> are held already: a
    /// gateway that held every write of a sale-day peak through a long loss would hold thousands of requests and their
    /// connections, so past the limit a write is refused at once instead. <paramref name="first"/> says whether it is
    /// the first held since none was, for a log line per episode rather than per write. <see cref="Unhold"/> when it leaves.
    /// </summary>
    public bool TryHold(int max, out bool first)
    {
        var held = Volatile.Read(ref _held);
        while (held < max)
        {
            var seen = Interlocked.CompareExchange(ref _held, held + 1, held);
            if (seen == held)
            {
                first = held == 0;
                return true;
            }
            held = seen;
        }
        first = false;
        return false;
    }

    public void Unhold() => Interlocked.Decrement(ref _held);

    /// <summary>Waits for the hold to end; false when <paramref name="limit"/> passed first. The caller counted the write (<see cref="TryHold"/>).</summary>
    public async Task<bool> WaitAsync(Task released, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await released.WaitAsync(limit, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until the mode is set again (by the control plane: a switch, or its re-assertion every second) or
    /// <paramref name="limit"/> passes, whichever is first. The caller counted the write (<see cref="TryHold"/>).
    /// </summary>
    public async Task WaitForNextSetAsync(TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_lock)
        {
            changed = _changed.Task;
        }
        try
        {
            await changed.WaitAsync(limit, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary><see cref="PauseWatch"/>'s tick: a gap since the last one above <see cref="PauseThreshold"/> is a pause.</summary>
    public void Tick()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            NoticePause(now);
            _lastTick = now;
        }
    }

    /// <summary>
    /// Returns at once unless this gateway was paused lately; then waits until the control plane sets the mode again
    /// (its word since the pause: see <see cref="HeardAfter"/>) or <see cref="Patience"/> has passed since the pause.
    /// A write's answer that arrives just after a pause waits here before the mode decides whether it is passed on: the
    /// datacenter may have been failed away from meanwhile, and the control plane's <c>forward</c> may not have reached
    /// the gateway yet (its call timed out against the paused host) when the nodes' answers already do.
    /// </summary>
    public async Task WaitUntilHeardAsync(CancellationToken cancellationToken)
    {
        Task heard;
        TimeSpan left;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            // The watch's ticks stop with everything else: a pause it has not ticked past yet shows as their silence.
            NoticePause(now);
            if (_pausedAt == 0)
            {
                return;
            }
            left = Patience - time.GetElapsedTime(_pausedAt, now);
            if (left <= TimeSpan.Zero)
            {
                // Nothing heard since the pause: writes go on as the last mode says.
                _pausedAt = 0;
                _heard.TrySetResult();
                return;
            }
            heard = _heard.Task;
        }
        try
        {
            await heard.WaitAsync(left, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    // Under the lock. A pause already noticed keeps its first moment.
    private void NoticePause(long now)
    {
        if (_pausedAt == 0 && _lastTick != 0 && time.GetElapsedTime(_lastTick, now) > PauseThreshold)
        {
            _pausedAt = now;
            _heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
