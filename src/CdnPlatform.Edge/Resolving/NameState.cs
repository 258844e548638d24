namespace CdnPlatform.Edge.Resolving;

/// <summary>Where a <see cref="ResolvedName"/> stands at a moment.</summary>
public enum NameState
{
    /// <summary>No answer to use: never answered yet, or the last one outlived its stale period.</summary>
    Unresolved,

    /// <summary>Within the answer's TTL (which may say there are no addresses: NXDOMAIN or no A/AAAA).</summary>
    Fresh,

    /// <summary>Past the TTL and every resolver failed since: the old addresses are still used (RFC 8767).</summary>
    Stale,
}
