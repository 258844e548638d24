using CdnPlatform.Http.Conditionals;
using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Ranges;

/// <summary>
/// If-Range (RFC 9110 §13.1.5): apply the Range only if the representation is still the one the client
/// holds part of; otherwise send the whole representation as a 200.
/// </summary>
public static class IfRange
{
    /// <summary>
    /// True when the Range may be honoured: no If-Range, an entity-tag that strongly matches the stored
    /// ETag, or an HTTP-date exactly equal to a strong stored Last-Modified. Anything else (a weak or
    /// different tag, another date, several lines, junk) is false.
    /// </summary>
    /// <remarks>
    /// Last-Modified is only a strong validator for a cache when the stored Date is at least one second
    /// later (§8.8.2.2): within the same second the content may have changed twice. Without a valid
    /// <paramref name="storedDate"/> a date validator therefore never matches, which is the safe side:
    /// the full response instead of bytes spliced from two versions.
    /// </remarks>
    public static bool Allows(StringValues ifRange, string? storedETag, string? storedLastModified, string? storedDate = null)
    {
        if (ifRange.Count == 0)
        {
            return true;
        }
        if (ifRange.Count > 1 || ifRange[0] is not { } value)
        {
            return false;
        }
        var trimmed = value.AsSpan().Trim(ListMembers.Whitespace);
        // §13.1.5: an entity-tag starts with DQUOTE or W/, a date never does.
        if (trimmed.StartsWith("\"") || trimmed.StartsWith("W/"))
        {
            return EntityTag.TryParse(trimmed, out var requested)
                && storedETag is not null
                && EntityTag.TryParse(storedETag, out var current)
                && requested.StrongEquals(current);
        }
        return HttpDate.TryParse(value, out var date)
            && HttpDate.TryParse(storedLastModified, out var lastModified)
            && HttpDate.TryParse(storedDate, out var responseDate)
            && date == lastModified
            && responseDate - lastModified >= TimeSpan.FromSeconds(1);
    }
}
