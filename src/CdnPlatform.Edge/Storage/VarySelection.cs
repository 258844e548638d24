using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Edge.Storage;

/// <summary>The request fields a response varies on, and the secondary key they give a request (RFC 9111 §4.1).</summary>
internal sealed record VarySelection(IReadOnlyList<string> FieldNames, bool IsStar)
{
    public static readonly VarySelection None = new([], false);

    public static VarySelection Parse(StringValues vary)
    {
        if (StringValues.IsNullOrEmpty(vary))
        {
            return None;
        }
        var names = vary.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(n => n.ToLowerInvariant())
            .Distinct()
            .ToArray();
        return new VarySelection(names, names.Contains("*"));
    }

    public string KeyFor(IHeaderDictionary requestHeaders) => KeyFor(FieldNames, requestHeaders);

    public static string KeyFor(IReadOnlyList<string> fieldNames, IHeaderDictionary requestHeaders)
    {
        if (fieldNames.Count == 0)
        {
            return "";
        }
        return string.Join('\n', fieldNames.Select(name => requestHeaders.TryGetValue(name, out var v)
            ? name + ":" + string.Join(',', v.Select(x => (x ?? "").Trim()))
            : name + "!"));
    }
}
