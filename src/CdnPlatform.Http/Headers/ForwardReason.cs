namespace CdnPlatform.Http.Headers;

/// <summary>Why the request went forward to the origin: the <c>fwd</c> parameter of RFC 9211 §2.2.</summary>
public enum ForwardReason
{
    /// <summary>The cache was configured not to handle this request.</summary>
    Bypass,
    /// <summary>The request method is not cacheable.</summary>
    Method,
    /// <summary>No stored response for the URI.</summary>
    UriMiss,
    /// <summary>Stored responses exist for the URI, but none matches the request's Vary headers.</summary>
    VaryMiss,
    /// <summary>No stored response could be used, reason unspecified.</summary>
    Miss,
    /// <summary>The request's own directives (e.g. <c>no-cache</c>) sent it forward.</summary>
    Request,
    /// <summary>A stored response was stale and had to be revalidated.</summary>
    Stale,
    /// <summary>Only part of the response was stored.</summary>
    Partial,
}
