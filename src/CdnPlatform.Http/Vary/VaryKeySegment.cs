using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// What one selecting field adds to a request's secondary key (see <see cref="VaryKey"/>): <c>length:name</c>,
/// then <c>!</c> when the request lacks the field or <c>=length:value</c> with the value normalised.
/// </summary>
internal static class VaryKeySegment
{
    /// <summary>The most digits a length takes (<see cref="int.MaxValue"/> has ten).</summary>
    private const int MaxLengthDigits = 10;

    /// <summary>An upper bound for what <see cref="Write"/> writes.</summary>
    public static int MaxLength(string name, StringValues lines) =>
        MaxLengthDigits + 1 + name.Length + 1 + MaxLengthDigits + 1 + SelectingFieldValue.MaxNormalizedLength(lines);

    /// <summary>Writes the segment into <paramref name="destination"/> (at least <see cref="MaxLength"/> long) and returns its length.</summary>
    public static int Write(string name, StringValues lines, Span<char> destination)
    {
        var n = WriteLength(name.Length, destination);
        destination[n++] = ':';
        name.CopyTo(destination[n..]);
        n += name.Length;
        if (lines.Count == 0)
        {
            destination[n++] = '!';
            return n;
        }
        destination[n++] = '=';
        // The value's length precedes it but is known only once it is normalised: normalise it past the room the
        // widest length takes, then move it back to just after the length actually written.
        var valueStart = n + MaxLengthDigits + 1;
        var valueLength = SelectingFieldValue.Normalize(name, lines, destination[valueStart..]);
        n += WriteLength(valueLength, destination[n..]);
        destination[n++] = ':';
        destination.Slice(valueStart, valueLength).CopyTo(destination[n..]);
        return n + valueLength;
    }

    private static int WriteLength(int length, Span<char> destination)
    {
        length.TryFormat(destination, out var written, provider: CultureInfo.InvariantCulture);
        return written;
    }
}
