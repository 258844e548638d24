namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// The gateway's write mode, set by the control plane (<c>PUT /gateway/writes</c>), and the writes it is holding
/// or passing now. A switchover holds writes, then waits for <see cref="InFlight"/> to reach 0 before it reads the
/// primary's replication offset: every write that got past the hold is counted in <see cref="InFlight"/> before it
/// looks at the mode (see <see cref="Enter"/>), so none can slip through unseen.
/// </summary>
public sealed class WriteControl : IDisposable
{
    private readonly Lock _lock = new();
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

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
