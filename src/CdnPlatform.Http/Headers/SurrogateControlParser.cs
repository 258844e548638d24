using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// Surrogate-Control from the W3C Edge Architecture note: <c>1#( control-directive [ ";" device-token ] )</c>
/// with <c>max-age=N[+M]</c>, <c>no-store</c>, <c>no-store-remote</c> and extensions (such as
/// <c>content="ESI/1.0"</c>) that a cache may ignore.
/// </summary>
internal static class SurrogateControlParser
{
    /// <summary>
    /// Builds the directives that reach the device named <paramref name="deviceToken"/>: untargeted ones,
    /// and those whose <c>;token</c> names it. False when none of them is one this cache understands, in
    /// which case the field does not govern caching and Cache-Control does.
    /// </summary>
    public static bool TryBuild(StringValues lines, string? deviceToken, out CacheControl cacheControl)
    {
        var builder = new CacheControlBuilder();
        // Directives aimed at this device go first: the builder keeps a directive's first occurrence,
        // so "max-age=60, max-age=600;us" means 600 here.
        var understood = Apply(lines, deviceToken, targetedPass: true, ref builder);
        understood |= Apply(lines, deviceToken, targetedPass: false, ref builder);
        cacheControl = builder.Build();
        return understood;
    }

    private static bool Apply(StringValues lines, string? deviceToken, bool targetedPass, ref CacheControlBuilder builder)
    {
        var understood = false;
        foreach (var line in lines)
        {
            foreach (var member in new ListMembers(line))
            {
                var directive = SplitTarget(member, out var target);
                if (target.IsEmpty == targetedPass)
                {
                    continue;
                }
                if (!target.IsEmpty && (deviceToken is null || !target.Equals(deviceToken, StringComparison.OrdinalIgnoreCase)))
                {
                    continue; // aimed at another device
                }
                understood |= Add(directive, ref builder);
            }
        }
        return understood;
    }

    private static bool Add(ReadOnlySpan<char> directive, ref CacheControlBuilder builder)
    {
        var nameEnd = directive.IndexOfAny("= \t");
        var name = nameEnd < 0 ? directive : directive[..nameEnd];
        if (name.Equals("no-store", StringComparison.OrdinalIgnoreCase)
            || name.Equals("no-store-remote", StringComparison.OrdinalIgnoreCase))
        {
            // no-store-remote binds surrogates outside the origin's own network, which a CDN is.
            builder.Add("no-store", null, malformed: false);
            return true;
        }
        if (!name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (nameEnd < 0 || directive[nameEnd] != '=')
        {
            builder.Add("max-age", null, malformed: true); // "max-age", "max-age =60": no usable lifetime
            return true;
        }
        var value = directive[(nameEnd + 1)..];
        var plus = value.IndexOf('+');
        var freshFor = plus < 0 ? value : value[..plus];
        builder.Add("max-age", freshFor.ToString(), malformed: false);
        if (plus >= 0)
        {
            // The "+M" freshness extension: how long past expiry the surrogate may still answer when the
            // origin cannot, which is what stale-if-error expresses.
            builder.Add("stale-if-error", value[(plus + 1)..].ToString(), malformed: false);
        }
        return true;
    }

    /// <summary>Splits <c>directive;device-token</c> at the first semicolon outside a quoted string.</summary>
    private static ReadOnlySpan<char> SplitTarget(ReadOnlySpan<char> member, out ReadOnlySpan<char> target)
    {
        var i = 0;
        while (i < member.Length && member[i] != ';')
        {
            i = member[i] == '"' ? ListMembers.EndOfQuotedString(member, i) : i + 1;
        }
        if (i >= member.Length)
        {
            target = default;
            return member;
        }
        target = member[(i + 1)..].Trim(ListMembers.Whitespace);
        return member[..i].TrimEnd(ListMembers.Whitespace);
    }
}
