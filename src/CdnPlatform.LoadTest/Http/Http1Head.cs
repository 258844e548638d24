using System.Globalization;
using System.Text;

namespace CdnPlatform.LoadTest.Http;

/// <summary>The parts of an HTTP/1.1 answer's head a load test needs, read from its bytes (status line and fields, no final CRLF CRLF).</summary>
internal readonly record struct Http1Head(int Status, long? ContentLength, bool Chunked, bool Close, string? CacheStatus, string? ServedBy, IReadOnlyList<string>? SetCookies)
{
    /// <exception cref="IOException">Not an HTTP/1.x answer.</exception>
    public static Http1Head Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || !int.TryParse(statusLine.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"not an HTTP/1.1 answer: '{Encoding.ASCII.GetString(statusLine[..Math.Min(statusLine.Length, 60)])}'");
        }
        var close = statusLine[7] == (byte)'0';
        long? contentLength = null;
        var chunked = false;
        string? cacheStatus = null;
        string? servedBy = null;
        List<string>? setCookies = null;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Is(name, "content-length"u8))
            {
                contentLength = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length
                    : throw new IOException("a Content-Length that is not a number");
            }
            else if (Is(name, "transfer-encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8) || Encoding.ASCII.GetString(value).Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (Is(name, "connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8) || (close && !Ascii.EqualsIgnoreCase(value, "keep-alive"u8));
            }
            else if (Is(name, "cache-status"u8))
            {
                // Repeated fields are one list (RFC 9110 §5.3): join them so the last member is still last.
                var text = Encoding.ASCII.GetString(value);
                cacheStatus = cacheStatus is null ? text : cacheStatus + ", " + text;
            }
            else if (Is(name, "x-served-by"u8))
            {
                servedBy = Encoding.ASCII.GetString(value);
            }
            else if (Is(name, "set-cookie"u8))
            {
                (setCookies ??= []).Add(Encoding.ASCII.GetString(value));
            }
        }
        return new Http1Head(status, contentLength, chunked, close, cacheStatus, servedBy, setCookies);
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) => Ascii.EqualsIgnoreCase(name, lowerCase);
}
