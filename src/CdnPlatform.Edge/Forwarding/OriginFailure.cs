namespace CdnPlatform.Edge.Forwarding;

/// <summary>How a trip to one origin address failed, as far as trying the site's next address cares.</summary>
public enum OriginFailure
{
    /// <summary>No connection: refused, unreachable, timed out connecting, unknown name. Nothing was sent.</summary>
    Unreached,

    /// <summary>The request went out but no response headers came back: reset, closed, or silent too long.</summary>
    NoResponse,

    /// <summary>
    /// The origin answered with one of the site's failover statuses (502, 503, 504 by default), and its answer was
    /// dropped before a byte of it reached the visitor, so the failover origin may answer instead.
    /// </summary>
    FailoverStatus,

    /// <summary>The origin answered (the failure came later), or the failure was the visitor's or the edge's own.</summary>
    Other,
}
