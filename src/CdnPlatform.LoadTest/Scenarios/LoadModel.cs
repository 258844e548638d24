namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>How load arrives.</summary>
public enum LoadModel
{
    /// <summary>
    /// Requests arrive at a rate, whatever the server does (k6's arrival-rate executors, wrk2): each has an intended
    /// send time, and its latency counts from then, so a stalled server shows in the figures instead of slowing the test.
    /// </summary>
    Open,

    /// <summary>N virtual users, each sending its next request when the last one answered and it thought: wrk, k6's VUs.</summary>
    Closed,
}
