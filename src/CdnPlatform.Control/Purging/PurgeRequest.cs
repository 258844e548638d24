using System.Text.Json;

namespace CdnPlatform.Control.Purging;

/// <summary>The body of <c>POST /v1/purge</c>: <c>{"site": "shop", "urls": ["http://www.shop.test/…"]}</c>.</summary>
public sealed record PurgeRequest
{
    public string? Site { get; init; }
    public List<string>? Urls { get; init; }

    /// <summary>
    /// Reads the body by hand rather than by binding, so every refusal names the field at fault, and a
    /// field this version does not know (say <c>tags</c>) is refused instead of silently ignored: ignoring
    /// it would drop part of a purge without anyone noticing.
    /// </summary>
    public static PurgeValidation Read(JsonElement body, out PurgeRequest request)
    {
        request = new PurgeRequest();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return PurgeValidation.Fail("$", "the body must be a JSON object");
        }
        string? site = null;
        List<string>? urls = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "site":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return PurgeValidation.Fail("site", "must be a string");
                    }
                    site = property.Value.GetString();
                    break;
                case "urls":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        return PurgeValidation.Fail("urls", "must be an array of strings");
                    }
                    urls = [];
                    var i = 0;
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            return PurgeValidation.Fail($"urls[{i}]", "must be a string");
                        }
                        urls.Add(item.GetString()!);
                        i++;
                    }
                    break;
                default:
                    return PurgeValidation.Fail(property.Name, "is not a field of a purge request this control plane supports");
            }
        }
        request = new PurgeRequest { Site = site, Urls = urls };
        return PurgeValidation.Ok(site ?? "", urls ?? []);
    }
}
