namespace CdnPlatform.Caching.Coalescing;

/// <summary>How a coalesced origin request ended, which tells its followers what to do next.</summary>
public enum FlightOutcome
{
    /// <summary>The response was stored: followers serve it from the store.</summary>
    Stored,

    /// <summary>The response may not be shared (private, no-store, too large): followers go to the origin themselves.</summary>
    NotShareable,

    /// <summary>The origin failed: followers try on their own (and may get stale-if-error).</summary>
    Failed,
}
