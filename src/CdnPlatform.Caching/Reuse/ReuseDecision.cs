namespace CdnPlatform.Caching.Reuse;

/// <summary>What may be done with a stored response for this request (RFC 9111 §4).</summary>
public enum ReuseDecision
{
    /// <summary>Fresh enough for the request: serve it.</summary>
    Fresh,

    /// <summary>Stale, but the request accepts that much staleness (<c>max-stale</c>): serve it.</summary>
    StaleAccepted,

    /// <summary>Stale within <c>stale-while-revalidate</c>: serve it now and revalidate in the background.</summary>
    StaleWhileRevalidate,

    /// <summary>Only after the origin confirms it (or sends a new one).</summary>
    Validate,
}
