using System.Text.Json;

namespace CdnPlatform.Control.Purging;

/// <summary>
/// The body of <c>POST /v1/purge</c>:
/// <c>{"site": "shop", "urls": [...], "prefixes": [...], "tags": [...], "all": false, "soft": false}</c>.
/// </summary>
public sealed record PurgeRequest
{
    public string? Site { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    public IReadOnlyList<string>? Prefixes { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public bool All { get; init; }
    public bool Soft { get; init; }

    public int ItemCount => (Urls?.Count ?? 0) + (Prefixes?.Count ?? 0) + (Tags?.Count ?? 0);

    /// <summary>
    /// Reads the body by hand rather than by binding, so every refusal names the field at fault, and a
    /// field this version does not know is refused instead of silently ignored: ignoring it would drop
    /// part of a purge without anyone noticing.
    /// </summary>
    public static PurgeValidation Read(JsonElement body, out PurgeRequest request)
    {
        request = new PurgeRequest();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return PurgeValidation.Fail("$", "the body must be a JSON object");
        }
        var read = new PurgeRequest();
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "site":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return PurgeValidation.Fail("site", "must be a string");
                    }
                    read = read with { Site = property.Value.GetString() };
                    break;
                case "urls" or "prefixes" or "tags":
                    if (ReadStrings(property, out var values) is { } failure)
                    {
                        return failure;
                    }
                    read = property.Name switch
                    {
                        "urls" => read with { Urls = values },
                        "prefixes" => read with { Prefixes = values },
                        _ => read with { Tags = values },
                    };
                    break;
                case "all" or "soft":
                    if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return PurgeValidation.Fail(property.Name, "must be true or false");
                    }
                    read = property.Name == "all" ? read with { All = property.Value.GetBoolean() } : read with { Soft = property.Value.GetBoolean() };
                    break;
                default:
                    return PurgeValidation.Fail(property.Name, "is not a field of a purge request (site, urls, prefixes, tags, all, soft)");
            }
        }
        request = read;
        return PurgeValidation.Ok(read);
    }

    private static PurgeValidation? ReadStrings(JsonProperty property, out IReadOnlyList<string> values)
    {
        values = [];
        if (property.Value.ValueKind != JsonValueKind.Array)
        {
            return PurgeValidation.Fail(property.Name, "must be an array of strings");
        }
        var list = new List<string>();
        var i = 0;
        foreach (var item in property.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return PurgeValidation.Fail($"{property.Name}[{i}]", "must be a string");
            }
            list.Add(item.GetString()!);
            i++;
        }
        values = list;
        return null;
    }
}
