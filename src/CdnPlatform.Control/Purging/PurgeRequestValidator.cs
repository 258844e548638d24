using System.Collections.Frozen;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Http;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// Checks a purge request against the sites this control plane knows, and normalizes its URLs; the
/// first reason it is refused names the field.
/// </summary>
public sealed class PurgeRequestValidator
{
    public const int MaxItems = 1000;
    public const int MaxUrlLength = 4096;
    public const int MaxTagLength = 256;

    private readonly FrozenDictionary<string, FrozenSet<string>> _hostsBySite;
    private readonly FrozenDictionary<string, string> _siteByHost;

    public PurgeRequestValidator(ControlOptions options)
    {
        _hostsBySite = options.Sites.ToFrozenDictionary(
            s => s.Name,
            s => s.Hosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.Ordinal);
        _siteByHost = options.Sites.SelectMany(s => s.Hosts.Select(h => (Host: h, Site: s.Name)))
            .DistinctBy(p => p.Host, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(p => p.Host, p => p.Site, StringComparer.OrdinalIgnoreCase);
    }

    /// <remarks>
    /// Without <c>site</c>, the site is the one serving the host of the first URL or prefix, as a CDN purges by URL
    /// alone (every other URL must then be of the same site); tags and <c>all</c> name no host, so they need it.
    /// </remarks>
    public PurgeValidation Validate(PurgeRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Site))
        {
            if (SiteOfFirstUrl(request) is not { } site)
            {
                return PurgeValidation.Fail("site", (request.Urls?.Count ?? 0) + (request.Prefixes?.Count ?? 0) == 0
                    ? "is required when only tags or \"all\" are given: they name no host"
                    : "is required: the first of urls and prefixes is not an absolute http(s) URL on a host of a known site");
            }
            request = request with { Site = site };
        }
        if (!_hostsBySite.TryGetValue(request.Site, out var hosts))
        {
            return PurgeValidation.Fail("site", $"unknown site '{request.Site}'");
        }
        if (request.ItemCount == 0 && !request.All)
        {
            return PurgeValidation.Fail("urls", "nothing to purge: give at least one of urls, prefixes, tags, or \"all\": true");
        }
        if (request.ItemCount > MaxItems)
        {
            var field = (request.Urls?.Count ?? 0) > MaxItems ? "urls" : (request.Prefixes?.Count ?? 0) > MaxItems ? "prefixes" : (request.Tags?.Count ?? 0) > MaxItems ? "tags" : "urls";
            return PurgeValidation.Fail(field, $"{request.ItemCount} items in urls, prefixes and tags together; at most {MaxItems} per request");
        }
        if (CheckUrls("urls", request.Urls, hosts, request.Site, out var urls) is { } badUrl)
        {
            return badUrl;
        }
        if (CheckUrls("prefixes", request.Prefixes, hosts, request.Site, out var prefixes) is { } badPrefix)
        {
            return badPrefix;
        }
        var tags = request.Tags ?? [];
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (tag.Length == 0 || tag.Length > MaxTagLength)
            {
                return PurgeValidation.Fail($"tags[{i}]", $"must be 1 to {MaxTagLength} characters");
            }
            // Surrogate-Key separates keys by spaces, Cache-Tag by commas: a tag holding either could never match.
            if (tag.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
            {
                return PurgeValidation.Fail($"tags[{i}]", $"'{tag}' contains whitespace, a comma or a control character");
            }
        }
        return PurgeValidation.Ok(request with { Urls = urls, Prefixes = prefixes, Tags = tags });
    }

    private string? SiteOfFirstUrl(PurgeRequest request) =>
        (request.Urls ?? []).Concat(request.Prefixes ?? []).FirstOrDefault() is { } first && HttpUrl.TryParse(first, out var url)
            && _siteByHost.TryGetValue(url.Host, out var site)
            ? site
            : null;

    private static PurgeValidation? CheckUrls(string field, IReadOnlyList<string>? values, FrozenSet<string> hosts, string site, out IReadOnlyList<string> normalized)
    {
        var list = new List<string>(values?.Count ?? 0);
        normalized = list;
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var name = $"{field}[{i}]";
            var raw = values![i];
            if (string.IsNullOrEmpty(raw))
            {
                return PurgeValidation.Fail(name, "is empty");
            }
            if (raw.Length > MaxUrlLength)
            {
                return PurgeValidation.Fail(name, $"is {raw.Length} characters; at most {MaxUrlLength}");
            }
            if (!HttpUrl.TryParse(raw, out var url))
            {
                return PurgeValidation.Fail(name, $"'{raw}' is not an absolute http:// or https:// URL");
            }
            if (!hosts.Contains(url.Host))
            {
                return PurgeValidation.Fail(name, $"host '{url.Host}' does not belong to site '{site}'");
            }
            list.Add(url.AbsoluteUri);
        }
        return null;
    }
}
