using System.Net;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// One origin host name the edge resolves itself, and the loop that keeps its answer current: it looks the name
/// up when <see cref="ResolvedName.RefreshAt"/> comes (on the application's clock) or at once when woken (a
/// re-resolve signal, a request that found no address), and hands each outcome to <see cref="ResolvedName"/>.
/// The loop is the only writer of <see cref="State"/>; requests only read what it last published.
/// </summary>
internal sealed partial class WatchedName
{
    // Still no answer after this many lookups in a row: worth a warning, not only the start-up note.
    private const int FailuresWorthAWarning = 10;

    private readonly AddressLookup _lookup;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxStale;
    private readonly Action<WatchedName, ResolvedName> _addressesChanging;
    private readonly Action<WatchedName> _answeredUnchanged;
    private readonly ILogger _logger;
    private volatile ResolvedName _state;
    private TaskCompletionSource _wake = NewSignal();
    private volatile TaskCompletionSource _usable = NewSignal();
    // Whether the stale answer in use has been logged as such: once per outage, not every 30 s.
    private bool _staleLogged;

    /// <param name="addressesChanging">
    /// Called by the loop with a state whose addresses differ from <see cref="State"/>'s: it must rebuild what uses
    /// them and then <see cref="Publish"/> it, so that once the state shows (in /healthz) requests use it too.
    /// </param>
    /// <param name="answeredUnchanged">Called by the loop after an answer that kept the addresses in use.</param>
    public WatchedName(string name, AddressLookup lookup, TimeProvider time, TimeSpan maxStale,
        Action<WatchedName, ResolvedName> addressesChanging, Action<WatchedName> answeredUnchanged, ILogger logger)
    {
        Name = name;
        _lookup = lookup;
        _time = time;
        _maxStale = maxStale;
        _addressesChanging = addressesChanging;
        _answeredUnchanged = answeredUnchanged;
        _logger = logger;
        _state = ResolvedName.Unresolved(time.GetUtcNow());
    }

    public string Name { get; }

    public ResolvedName State => _state;

    public void Publish(ResolvedName state) => _state = state;

    /// <summary>The resolver that gave the answer in use.</summary>
    public string? AnsweredBy { get; private set; }

    /// <summary>What every resolver did wrong in the last lookup that failed.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Complete while the name has addresses to use.</summary>
    public Task Usable => _usable.Task;

    /// <summary>Looks the name up now: at once if the loop is waiting, right after the lookup under way otherwise.</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await WaitUntilDueAsync(stop);
                // A wake from here on asks for another lookup after this one: it may know of a newer change.
                Interlocked.Exchange(ref _wake, NewSignal());
                Apply(await _lookup.LookupAsync(Name, stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never leave the name unwatched: the next round is due a second from now.
                Log.LoopFailed(_logger, Name, e);
                Apply(LookupOutcome.Failure(e.Message));
            }
        }
    }

    private async Task WaitUntilDueAsync(CancellationToken stop)
    {
        var wake = Volatile.Read(ref _wake).Task;
        var due = _state.RefreshAt - _time.GetUtcNow();
        if (due <= TimeSpan.Zero || wake.IsCompleted)
        {
            return;
        }
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(due, _time, waiting.Token);
        await Task.WhenAny(wake, delay);
        await waiting.CancelAsync();
        stop.ThrowIfCancellationRequested();
    }

    private void Apply(LookupOutcome outcome)
    {
        var now = _time.GetUtcNow();
        var before = _state;
        var after = outcome.Answered ? before.Answered(outcome.Addresses, outcome.Ttl, now, _maxStale) : before.Failed(now);
        if (outcome.Answered)
        {
            AnsweredBy = outcome.Detail;
        }
        else
        {
            LastFailure = outcome.Detail;
        }
        LogOutcome(before, after, outcome, now);
        if (before.Addresses.SequenceEqual(after.Addresses))
        {
            _state = after;
            if (outcome.Answered)
            {
                _answeredUnchanged(this);
            }
        }
        else
        {
            // Sites rebuild their origin lists before anyone waiting for an address is let go.
            _addressesChanging(this, after);
        }
        if (after.Addresses.Count > 0)
        {
            _usable.TrySetResult();
        }
        else if (before.Addresses.Count > 0)
        {
            _usable = NewSignal();
        }
    }

    private void LogOutcome(ResolvedName before, ResolvedName after, LookupOutcome outcome, DateTimeOffset now)
    {
        if (outcome.Answered)
        {
            _staleLogged = false;
            if (after.Addresses.Count == 0)
            {
                Log.NoAddresses(_logger, Name, outcome.Detail);
            }
            else if (!before.Addresses.SequenceEqual(after.Addresses))
            {
                Log.Resolved(_logger, Name, Describe(after.Addresses), Describe(before.Addresses), outcome.Detail, (int)outcome.Ttl.TotalSeconds);
            }
            return;
        }
        if (before.Addresses.Count > 0 && after.Addresses.Count == 0)
        {
            Log.StaleDropped(_logger, Name, Describe(before.Addresses), _maxStale.TotalSeconds, outcome.Detail);
        }
        else if (after.Addresses.Count > 0 && after.StateAt(now) == NameState.Stale && !_staleLogged)
        {
            _staleLogged = true;
            Log.ServingStale(_logger, Name, Describe(after.Addresses), _maxStale.TotalSeconds, outcome.Detail);
        }
        else if (after.Addresses.Count == 0 && after.Failures == 1)
        {
            // Usual at start-up, when the edge comes up before its DNS does.
            Log.NotYetResolved(_logger, Name, outcome.Detail);
        }
        else if (after.Addresses.Count == 0 && after.Failures == FailuresWorthAWarning)
        {
            Log.StillUnresolved(_logger, Name, after.Failures, outcome.Detail);
        }
    }

    private static string Describe(IReadOnlyList<IPAddress> addresses) => addresses.Count == 0 ? "none" : string.Join(", ", addresses);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Origin name {Name} → {Addresses} (was {Before}), answered by {Resolver}, TTL {Ttl} s")]
        public static partial void Resolved(ILogger logger, string name, string addresses, string before, string resolver, int ttl);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Origin name {Name} has no addresses (NXDOMAIN or no A/AAAA from {Resolver}): requests to its sites fail until it has")]
        public static partial void NoAddresses(ILogger logger, string name, string resolver);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Every resolver failed for origin name {Name} ({Reasons}); using its last addresses ({Addresses}) stale, for up to {MaxStaleSeconds} s")]
        public static partial void ServingStale(ILogger logger, string name, string addresses, double maxStaleSeconds, string reasons);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Origin name {Name}: its last addresses ({Addresses}) were stale for {MaxStaleSeconds} s and are dropped; every resolver still fails ({Reasons})")]
        public static partial void StaleDropped(ILogger logger, string name, string addresses, double maxStaleSeconds, string reasons);

        [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Origin name {Name} not resolved yet ({Reasons}); asking again every second")]
        public static partial void NotYetResolved(ILogger logger, string name, string reasons);

        [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Origin name {Name} still not resolved after {Failures} lookups ({Reasons})")]
        public static partial void StillUnresolved(ILogger logger, string name, int failures, string reasons);

        [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Looking up origin name {Name} failed unexpectedly")]
        public static partial void LoopFailed(ILogger logger, string name, Exception exception);
    }
}
