using System.Text;
using CdnPlatform.Http;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// Turns a purge (absolute URLs, URL prefixes, tags, or everything) into CloudFront invalidation paths, following
/// CloudFront's rules: a path is relative to the distribution and starts with <c>/</c>; a query string is part of it;
/// <c>*</c> is a wildcard only as the last character; at most 4,000 characters; non-ASCII and RFC 1738 "unsafe"
/// characters are percent-encoded and nothing else is, or CloudFront would not match the cached object.
/// </summary>
public static class CloudFrontPaths
{
    public const string Everything = "/*";

    // RFC 1738 section 2.2's unsafe characters; '%' is handled apart because it may already start an escape.
    private const string Unsafe = " <>\"#{}|\\^~[]`";

    /// <param name="all">Purge everything: becomes the single path <c>/*</c>, which covers every other item.</param>
    public static CloudFrontPathSet From(IEnumerable<string> urls, IEnumerable<string> prefixes, IEnumerable<string> tags, bool all)
    {
        var unsupported = new List<CloudFrontUnsupportedItem>();
        var paths = new List<string>();
        foreach (var url in urls)
        {
            if (Translate(url, wildcard: false, out var path) is { } reason)
            {
                unsupported.Add(new CloudFrontUnsupportedItem("url", url, reason));
            }
            else
            {
                paths.Add(path);
            }
        }
        foreach (var prefix in prefixes)
        {
            if (Translate(prefix, wildcard: true, out var path) is { } reason)
            {
                unsupported.Add(new CloudFrontUnsupportedItem("prefix", prefix, reason));
            }
            else
            {
                paths.Add(path);
            }
        }
        if (all)
        {
            // "/*" already drops every object, tagged or not, and costs one path instead of many.
            return new CloudFrontPathSet([Everything], unsupported);
        }
        foreach (var tag in tags)
        {
            unsupported.Add(new CloudFrontUnsupportedItem("tag", tag,
                "CloudFront invalidates by path; tag invalidation ('#tag' items) works only on distributions configured with CacheTagConfig, which this control plane does not use"));
        }
        return new CloudFrontPathSet(WithoutCovered(paths), unsupported);
    }

    /// <summary>The invalidation path for one absolute URL: its path and query, encoded as CloudFront wants.</summary>
    /// <returns>Why the URL cannot be invalidated on CloudFront, or null with <paramref name="path"/> set.</returns>
    private static string? Translate(string item, bool wildcard, out string path)
    {
        path = "";
        if (!HttpUrl.TryParse(item, out var url))
        {
            return "is not an absolute http:// or https:// URL";
        }
        var encoded = Encode(url.PathAndQuery);
        if (encoded.Contains('*'))
        {
            // CloudFront reads any '*' as a wildcard and refuses one before the end.
            return "contains '*', which CloudFront would read as a wildcard";
        }
        path = wildcard ? encoded + "*" : encoded;
        if (path.Length > CloudFrontInvalidationClient.MaxPathLength)
        {
            return $"becomes a {path.Length}-character path; CloudFront takes at most {CloudFrontInvalidationClient.MaxPathLength}";
        }
        return null;
    }

    /// <summary>
    /// Percent-encodes what CloudFront asks to be encoded (non-ASCII, controls, RFC 1738 unsafe characters) and
    /// leaves everything else, including escapes already present, as it is.
    /// </summary>
    private static string Encode(string pathAndQuery)
    {
        var builder = new StringBuilder(pathAndQuery.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < pathAndQuery.Length;)
        {
            var c = pathAndQuery[i];
            if (c == '%' && i + 2 < pathAndQuery.Length && char.IsAsciiHexDigit(pathAndQuery[i + 1]) && char.IsAsciiHexDigit(pathAndQuery[i + 2]))
            {
                builder.Append(pathAndQuery, i, 3);
                i += 3;
                continue;
            }
            if (c > ' ' && c < '\u007f' && c != '%' && !Unsafe.Contains(c))
            {
                builder.Append(c);
                i++;
                continue;
            }
            Rune.DecodeFromUtf16(pathAndQuery.AsSpan(i), out var rune, out var consumed);
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2"));
            }
            i += consumed;
        }
        return builder.ToString();
    }

    /// <summary>Drops duplicates and paths a wildcard already covers: every path sent is paid for and counts against the limits.</summary>
    private static List<string> WithoutCovered(List<string> paths)
    {
        var stems = paths.Where(p => p.EndsWith('*')).Select(p => p[..^1]).Distinct(StringComparer.Ordinal).ToList();
        var kept = new List<string>(paths.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var own = path.EndsWith('*') ? path[..^1] : null;
            // A wildcard is covered by a strictly shorter stem; an individual path by any stem (paths are case-sensitive).
            var covered = stems.Any(stem => path.StartsWith(stem, StringComparison.Ordinal) && (own is null || stem.Length < own.Length));
            if (!covered && seen.Add(path))
            {
                kept.Add(path);
            }
        }
        return kept;
    }
}
