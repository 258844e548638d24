namespace CdnPlatform.Caching.Reuse;

/// <summary>What the edge does with the origin's answer to a fetch, decided when its status line arrives.</summary>
public enum OriginAnswer
{
    /// <summary>Pass the origin's response on to the visitor (and store it if it may be stored).</summary>
    Use,

    /// <summary>A 304 to the edge's own conditional request: the stored entry is confirmed and answers instead.</summary>
    Validated,

    /// <summary>The origin answered 5xx and stale-if-error lets the stored entry answer instead.</summary>
    StaleIfError,

    /// <summary>The origin could not be reached and the stored entry may stand in for it (RFC 9111 §4.2.4).</summary>
    StaleWhenUnreachable,

    /// <summary>The origin could not be reached and nothing stored may stand in: the visitor gets the gateway error.</summary>
    Unreachable,
}
