namespace CdnPlatform.Control.Configuration;

/// <summary>A site as the control plane knows it: enough to validate what a purge may name.</summary>
public sealed record ControlSiteOptions
{
    public string Name { get; init; } = "";
    public List<string> Hosts { get; init; } = [];
}
