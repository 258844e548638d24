namespace CdnPlatform.Cli.Drill;

/// <summary>
/// What a drill request was, because the bar differs by kind: a cacheable page must never fail (the edges serve
/// it from cache or stale), an uncacheable read or a write may fail until the failover is done, a purge never.
/// </summary>
public enum DrillKind
{
    /// <summary>A public page: home, a category, a product.</summary>
    Cacheable,

    /// <summary>A personal read the edges pass through: <c>/whoami</c>, a logged-in visitor's <c>GET /cart</c>.</summary>
    Uncacheable,

    /// <summary>A logged-in visitor's <c>POST /cart</c>: it must reach the active datacenter's Redis.</summary>
    Write,

    /// <summary>A <c>POST /v1/purge</c> to the control plane.</summary>
    Purge,
}
