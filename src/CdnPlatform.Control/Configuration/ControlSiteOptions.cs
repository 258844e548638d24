namespace CdnPlatform.Control.Configuration;

/// <summary>A site as the control plane knows it: enough to validate what a purge may name.</summary>
public sealed record ControlSiteOptions
{
    public string Name { get; init; } = "";
    public List<string> Hosts { get; init; } = [];

    /// <summary>When the site also sits behind CloudFront: its purges become invalidations of these distributions too.</summary>
    public CloudFront.CloudFrontOptions? CloudFront { get; init; }
}
