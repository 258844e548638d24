using System.Buffers;
using CdnPlatform.Http;

namespace CdnPlatform.Caching.Keys;

/// <summary>
/// The primary cache key of RFC 9111 §2: the target URI, normalized so that equivalent requests share
/// one entry — scheme and host lowercase, default port dropped. Path and query are kept byte for byte;
/// query normalization (dropping <c>utm_*</c>, sorting) is per-site policy and comes from the caller.
/// </summary>
public readonly record struct CacheKey
{
    private CacheKey(string value) => Value = value;

    public string Value { get; }

    public static CacheKey Create(string scheme, string host, string pathAndQuery)
    {
        var most = MostChars(scheme, host, pathAndQuery, "", "");
        char[]? rented = null;
        var chars = most <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(most));
        var key = new CacheKey(new string(chars[..Format(chars, scheme, host, pathAndQuery, "", "")]));
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return key;
    }

    /// <summary>
    /// Writes the key of scheme, host and the path in pieces (path base, path, query, each already in its escaped
    /// form) into <paramref name="destination"/>, exactly as <see cref="Create"/> would make it, so that a lookup can
    /// find an entry by these characters without a string being made for them. The one implementation of the key's
    /// normalisation: <see cref="Create"/> goes through it too.
    /// </summary>
    /// <returns>The characters written, or -1 when they would not fit (<see cref="MostChars"/> is enough).</returns>
    public static int Format(Span<char> destination, ReadOnlySpan<char> scheme, ReadOnlySpan<char> host, ReadOnlySpan<char> pathBase,
        ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        if (destination.Length < MostChars(scheme, host, pathBase, path, query))
        {
            return -1;
        }
        var written = scheme.ToLowerInvariant(destination);
        var https = destination[..written].SequenceEqual("https");
        "://".CopyTo(destination[written..]);
        written += 3;
        var hostChars = host.ToLowerInvariant(destination[written..]);
        // The scheme's default port says nothing: http://h:80/ and http://h/ are one resource.
        var defaultPort = https ? ":443" : ":80";
        if (destination.Slice(written, hostChars).EndsWith(defaultPort))
        {
            hostChars -= defaultPort.Length;
        }
        written += hostChars;
        if (pathBase.IsEmpty && path.IsEmpty && query.IsEmpty)
        {
            destination[written++] = '/';
            return written;
        }
        pathBase.CopyTo(destination[written..]);
        written += pathBase.Length;
        path.CopyTo(destination[written..]);
        written += path.Length;
        query.CopyTo(destination[written..]);
        return written + query.Length;
    }

    /// <summary>The most characters <see cref="Format"/> may write for these parts.</summary>
    public static int MostChars(ReadOnlySpan<char> scheme, ReadOnlySpan<char> host, ReadOnlySpan<char> pathBase, ReadOnlySpan<char> path, ReadOnlySpan<char> query) =>
        scheme.Length + 3 + host.Length + Math.Max(1, pathBase.Length + path.Length + query.Length);

    /// <summary>The key whose characters <see cref="Format"/> wrote.</summary>
    internal static CacheKey FromFormatted(ReadOnlySpan<char> chars) => new(new string(chars));

    /// <summary>Key of an absolute http(s) URL, e.g. one named in a purge request.</summary>
    public static CacheKey FromUrl(Uri url)
    {
        if (!HttpUrl.IsHttp(url))
        {
            throw new ArgumentException($"'{url}' is not an absolute http(s) URL", nameof(url));
        }
        return Create(url.Scheme, url.Authority, url.PathAndQuery);
    }

    /// <summary>The same URL under the other scheme: a purge must reach both.</summary>
    public CacheKey WithOtherScheme()
    {
        var https = Value.StartsWith("https://", StringComparison.Ordinal);
        var rest = Value.AsSpan(https ? 8 : 7);
        var slash = rest.IndexOf('/');
        // Through Create, so an explicit port that is the other scheme's default (http://h:443) normalizes too.
        return Create(https ? "http" : "https", rest[..slash].ToString(), rest[slash..].ToString());
    }

    public override string ToString() => Value;

}
