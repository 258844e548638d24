namespace CdnPlatform.Origin;

/// <summary>The control plane a publish purges through (<c>Origin:Purge</c>).</summary>
/// <param name="ControlUrl">The control plane's base URL, e.g. <c>http://127.0.0.1:8700</c>.</param>
/// <param name="ApiKey">A control-plane key with the <c>purge</c> action on <paramref name="Site"/>.</param>
/// <param name="Site">The CDN site the shop is, e.g. <c>shop</c>.</param>
public sealed record PurgeTarget(Uri ControlUrl, string ApiKey, string Site)
{
    /// <summary>Null when the section is absent; otherwise all three keys are required.</summary>
    public static PurgeTarget? Bind(IConfigurationSection section, List<string> failures)
    {
        if (!section.Exists())
        {
            return null;
        }

        var url = section.GetSection(nameof(ControlUrl));
        var key = section.GetSection(nameof(ApiKey));
        var site = section.GetSection(nameof(Site));
        if (!Uri.TryCreate(url.Value, UriKind.Absolute, out var controlUrl) || (controlUrl.Scheme != Uri.UriSchemeHttp && controlUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{url.Path}: '{url.Value}' is not an absolute http:// or https:// URL");
        }
        if (string.IsNullOrWhiteSpace(key.Value))
        {
            failures.Add($"{key.Path} is required when {section.Path} is set");
        }
        if (string.IsNullOrWhiteSpace(site.Value))
        {
            failures.Add($"{site.Path} is required when {section.Path} is set");
        }

        return controlUrl is null || key.Value is null || site.Value is null ? null : new PurgeTarget(controlUrl, key.Value, site.Value);
    }
}
