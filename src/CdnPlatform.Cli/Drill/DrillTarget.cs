namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The network a drill runs against, as the control plane describes it: the edges visitors use, the site's host
/// name and name, and a client for the control plane (its base address and an API key with the ops and purge scopes).
/// </summary>
public sealed record DrillTarget(IReadOnlyList<string> Edges, string SiteHost, string SiteName, HttpClient Control);
