namespace CdnPlatform.Edge.Configuration;

/// <summary>
/// <c>--origin URL</c>: the engine alone in front of one origin, for every Host, like <c>varnishd -b</c>.
/// It is how the cache is tested by itself (cache-tests, benchmarks) without a network around it.
/// </summary>
public static class StandaloneMode
{
    public const string OriginKey = "origin";
    public const string SiteName = "standalone";

    /// <summary>Turns <c>--origin</c> into one catch-all site; explicit <c>Edge:*</c> settings still win.</summary>
    public static void Apply(ConfigurationManager configuration)
    {
        var origin = configuration[OriginKey];
        if (string.IsNullOrEmpty(origin))
        {
            return;
        }
        var defaults = new Dictionary<string, string?>
        {
            [$"{EdgeOptions.Section}:Name"] = configuration[$"{EdgeOptions.Section}:Name"] ?? SiteName,
            [$"{EdgeOptions.Section}:Sites:0:Name"] = SiteName,
            [$"{EdgeOptions.Section}:Sites:0:Hosts:0"] = SiteDirectory.AnyHost,
            [$"{EdgeOptions.Section}:Sites:0:Origin"] = origin,
        };
        configuration.AddInMemoryCollection(defaults);
    }
}
