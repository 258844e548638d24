using CdnPlatform.Http;
using System.Collections.Frozen;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// Turns a purge request into its validated URL list, or the first reason it is refused, naming the field.
/// </summary>
public sealed class PurgeRequestValidator
{
    public const int MaxItems = 1000;
    public const int MaxUrlLength = 4096;

    private readonly FrozenDictionary<string, FrozenSet<string>> _hostsBySite;

    public PurgeRequestValidator(ControlOptions options)
    {
        _hostsBySite = options.Sites.ToFrozenDictionary(
            s => s.Name,
            s => s.Hosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.Ordinal);
    }

    public PurgeValidation Validate(PurgeRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Site))
        {
            return PurgeValidation.Fail("site", "is required");
        }
        if (!_hostsBySite.TryGetValue(request.Site, out var hosts))
        {
            return PurgeValidation.Fail("site", $"unknown site '{request.Site}'");
        }
        if (request.Urls is not { Count: > 0 } urls)
        {
            return PurgeValidation.Fail("urls", "at least one URL is required");
        }
        if (urls.Count > MaxItems)
        {
            return PurgeValidation.Fail("urls", $"{urls.Count} items; at most {MaxItems} per request");
        }
        var normalized = new List<string>(urls.Count);
        for (var i = 0; i < urls.Count; i++)
        {
            var field = $"urls[{i}]";
            var raw = urls[i];
            if (string.IsNullOrEmpty(raw))
            {
                return PurgeValidation.Fail(field, "is empty");
            }
            if (raw.Length > MaxUrlLength)
            {
                return PurgeValidation.Fail(field, $"is {raw.Length} characters; at most {MaxUrlLength}");
            }
            if (!HttpUrl.TryParse(raw, out var url))
            {
                return PurgeValidation.Fail(field, $"'{raw}' is not an absolute http:// or https:// URL");
            }
            if (!hosts.Contains(url.Host))
            {
                return PurgeValidation.Fail(field, $"host '{url.Host}' does not belong to site '{request.Site}'");
            }
            normalized.Add(url.AbsoluteUri);
        }
        return PurgeValidation.Ok(request.Site, normalized);
    }
}
