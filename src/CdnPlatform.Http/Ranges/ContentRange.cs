using System.Globalization;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Ranges;

/// <summary>
/// The byte range a 206 carries (RFC 9110 §14.4): <c>bytes first-last/complete</c>, the complete length
/// being <c>*</c> (null) when unknown.
/// </summary>
public readonly record struct ContentRange(long First, long Last, long? CompleteLength)
{
    /// <summary><c>bytes 0-499/1234</c> for a range served from a representation of known length.</summary>
    public static string Format(ByteRange range, long completeLength) =>
        new ContentRange(range.Offset, range.Last, completeLength).ToString();

    /// <summary><c>bytes */1234</c>, the Content-Range of a 416 (§15.5.17).</summary>
    public static string FormatUnsatisfied(long completeLength) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes */{completeLength}");

    /// <summary>
    /// Parses a 206's Content-Range, for storing partial content. False for another unit, an unsatisfied-range
    /// (<c>*/n</c>), or the invalid forms of §14.4: last before first, or a complete length not past last.
    /// </summary>
    public static bool TryParse(string? value, out ContentRange contentRange)
    {
        contentRange = default;
        var text = (value ?? "").AsSpan().Trim(ListMembers.Whitespace);
        const string Unit = "bytes ";
        if (!text.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        text = text[Unit.Length..];
        var dash = text.IndexOf('-');
        var slash = text.IndexOf('/');
        if (dash <= 0 || slash < dash
            || !TryParseNumber(text[..dash], out var first)
            || !TryParseNumber(text[(dash + 1)..slash], out var last)
            || last < first)
        {
            return false;
        }
        var complete = text[(slash + 1)..];
        if (complete is "*")
        {
            contentRange = new ContentRange(first, last, null);
            return true;
        }
        if (!TryParseNumber(complete, out var completeLength) || completeLength <= last)
        {
            return false;
        }
        contentRange = new ContentRange(first, last, completeLength);
        return true;
    }

    /// <summary>The number of bytes the range covers.</summary>
    public long Length => Last - First + 1;

    public override string ToString() => CompleteLength is { } complete
        ? string.Create(CultureInfo.InvariantCulture, $"bytes {First}-{Last}/{complete}")
        : string.Create(CultureInfo.InvariantCulture, $"bytes {First}-{Last}/*");

    private static bool TryParseNumber(ReadOnlySpan<char> digits, out long number)
    {
        number = 0;
        return !digits.IsEmpty && !digits.ContainsAnyExcept("0123456789")
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
