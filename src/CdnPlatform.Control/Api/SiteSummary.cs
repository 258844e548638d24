namespace CdnPlatform.Control.Api;

public sealed record SiteSummary(string Name, IReadOnlyList<string> Hosts);
