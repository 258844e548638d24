namespace CdnPlatform.Edge.Observability;

/// <summary>What the edge did with a site's request, as metrics and access logs count it.</summary>
internal enum CacheOutcome
{
    /// <summary>Answered from the store, fresh.</summary>
    Hit,

    /// <summary>Answered from the store while stale: stale-while-revalidate, stale-if-error, max-stale, origin down.</summary>
    Stale,

    /// <summary>Answered from the store (or a fill in progress) after waiting for another request's fetch.</summary>
    Collapsed,

    /// <summary>Forwarded to fetch or revalidate what the store did not have usable.</summary>
    Miss,

    /// <summary>Forwarded because the request may not be served from a cache: its method, or its own no-store/no-cache.</summary>
    Pass,

    /// <summary>Answered by the edge itself, neither stored nor forwarded (only-if-cached's 504, a failure before any answer).</summary>
    Generated,
}
