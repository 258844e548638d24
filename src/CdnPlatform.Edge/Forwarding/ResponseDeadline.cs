namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// How long one attempt of a repeatable fetch may wait for the origin's response headers
/// (<c>Edge:Sites:N:OriginResponseTimeoutSeconds</c>) before it is given up as unanswered, so the fetch goes on to the
/// site's next address or its failover origin: CloudFront's origin response timeout. A stalled origin (its storage
/// paused, its host frozen) accepts connections and answers nothing; without this a visitor waits for as long as
/// <c>OriginActivityTimeoutSeconds</c>, or until a failover moves the origin.
/// <para>
/// Exactly one of the headers and the deadline wins: the headers turn it off for the rest of the attempt (the body
/// is the activity timeout's), and a deadline that passed first cancels the attempt and has its late answer dropped.
/// On the real clock, like the connect and activity timeouts it sits between.
/// </para>
/// </summary>
internal sealed class ResponseDeadline : IDisposable
{
    private const int Waiting = 0;
    private const int Answered = 1;
    private const int Passed = 2;

    private readonly CancellationTokenSource _attempt;
    private readonly ITimer _timer;
    private int _state;

    public ResponseDeadline(TimeSpan limit, CancellationToken stopOn)
    {
        _attempt = CancellationTokenSource.CreateLinkedTokenSource(stopOn);
        _timer = TimeProvider.System.CreateTimer(static state => ((ResponseDeadline)state!).Pass(), this, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The attempt's token: the fetch's own, cancelled too when the deadline passes.</summary>
    public CancellationToken Token => _attempt.Token;

    /// <summary>Whether the deadline passed before the response headers came.</summary>
    public bool HasPassed => Volatile.Read(ref _state) == Passed;

    /// <summary>The response headers came: true when in time (the deadline is off from now on), false when it had passed.</summary>
    public bool Answer() => Interlocked.CompareExchange(ref _state, Answered, Waiting) != Passed;

    private void Pass()
    {
        if (Interlocked.CompareExchange(ref _state, Passed, Waiting) != Waiting)
        {
            return;
        }
        try
        {
            _attempt.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended as the timer fired: nothing left to stop.
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _attempt.Dispose();
    }
}
