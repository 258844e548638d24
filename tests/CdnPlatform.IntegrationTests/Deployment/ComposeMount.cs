namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>A volume of a service: a host path (<c>./edge/config/ams.json</c>) or a named volume, mounted at <see cref="Target"/>.</summary>
public sealed record ComposeMount(string Source, string Target, bool ReadOnly)
{
    /// <summary>A path on the host (a bind mount), not a named volume.</summary>
    public bool IsBind => Source.StartsWith('.') || Source.StartsWith('/') || Source.StartsWith('~');
}
