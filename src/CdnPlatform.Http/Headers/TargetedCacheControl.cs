using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// Targeted cache control (RFC 9213): which response field governs this cache. The target list is
/// CDN-Cache-Control, then Surrogate-Control (W3C Edge Architecture) for the older convention.
/// </summary>
/// <remarks>
/// When a targeted field applies, RFC 9213 §2.1 has the cache ignore Cache-Control and Expires entirely:
/// <c>Cache-Control: no-store</c> with <c>CDN-Cache-Control: max-age=600</c> is stored here, and a
/// targeted <c>no-store</c> is honoured even if Cache-Control would allow storing.
/// </remarks>
public static class TargetedCacheControl
{
    /// <summary>
    /// The directives that govern this cache, or <c>null</c> when no targeted field applies and
    /// Cache-Control does.
    /// </summary>
    /// <param name="cdnCacheControl">CDN-Cache-Control field lines: a Structured Fields Dictionary (RFC 8941);
    /// ignored as a whole when empty or when it does not parse (RFC 9213 §2.1).</param>
    /// <param name="surrogateControl">Surrogate-Control field lines: used when CDN-Cache-Control does not apply
    /// and it holds a directive this cache understands (max-age, no-store, no-store-remote).</param>
    /// <param name="surrogateTarget">This cache's device token, as it announces it in Surrogate-Capability;
    /// Surrogate-Control directives with <c>;token</c> for another device (or any, when null) are skipped.</param>
    public static CacheControl? Select(StringValues cdnCacheControl, StringValues surrogateControl, string? surrogateTarget = null)
    {
        if (cdnCacheControl.Count > 0 && StructuredDictionary.TryParse(cdnCacheControl, out var members))
        {
            return FromDictionary(members);
        }
        if (surrogateControl.Count > 0 && SurrogateControlParser.TryBuild(surrogateControl, surrogateTarget, out var surrogate))
        {
            return surrogate;
        }
        return null;
    }

    /// <summary>
    /// Maps dictionary members to directives. RFC 9213 §2.1 says not to consume values that break a
    /// directive's type, so a lifetime that is not a non-negative Integer counts as invalid (stale), and
    /// no-cache/private that are neither true nor a String count as their unqualified, stricter form.
    /// </summary>
    private static CacheControl FromDictionary(List<StructuredDictionary.Member> members)
    {
        var builder = new CacheControlBuilder();
        foreach (var (key, kind, text) in members)
        {
            switch (kind)
            {
                case StructuredDictionary.ValueKind.Boolean:
                    if (text == "?1")
                    {
                        builder.Add(key, null, malformed: false);
                    }
                    break; // ?0 says the directive is off
                case StructuredDictionary.ValueKind.Integer:
                case StructuredDictionary.ValueKind.Decimal:
                case StructuredDictionary.ValueKind.String:
                case StructuredDictionary.ValueKind.Token:
                    if (CacheControlBuilder.TakesDeltaSeconds(key))
                    {
                        builder.Add(key, text, malformed: kind != StructuredDictionary.ValueKind.Integer);
                    }
                    else if (key is "no-cache" or "private" && kind != StructuredDictionary.ValueKind.String)
                    {
                        builder.Add(key, null, malformed: false);
                    }
                    else
                    {
                        builder.Add(key, text, malformed: false);
                    }
                    break;
                default:
                    builder.Add(key, null, malformed: true);
                    break;
            }
        }
        return builder.Build();
    }
}
