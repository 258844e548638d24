namespace CdnPlatform.Control.Configuration;

/// <summary>A site as the control plane knows it: enough to validate what a purge may name.</summary>
public sealed record ControlSiteOptions
{
    public string Name { get; init; } = "";
    public List<string> Hosts { get; init; } = [];

    /// <summary>The site's DNS zone, e.g. <c>shop.test</c>, served by <c>Control:Dns</c>; null: none.</summary>
    public string? Zone { get; init; }

    /// <summary>The TTL of <c>origin.&lt;zone&gt;</c>: how long resolvers keep the old datacenter after a flip.</summary>
    public int OriginTtlSeconds { get; init; } = global::CdnPlatform.Dns.Zones.SiteZone.DefaultOriginTtl;

    /// <summary>When the site also sits behind CloudFront: its purges become invalidations of these distributions too.</summary>
    public CloudFront.CloudFrontOptions? CloudFront { get; init; }
}
