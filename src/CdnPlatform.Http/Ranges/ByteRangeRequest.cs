using System.Diagnostics.CodeAnalysis;
using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Ranges;

/// <summary>
/// A Range request in bytes (RFC 9110 §14.2): <c>bytes=0-499, 1000-, -500</c>.
/// </summary>
/// <remarks>
/// RFC 9110 §14.2 lets a server ignore Range, so whatever this does not accept (another unit, a syntax
/// error, several Range lines, more specs than the cap) is reported as "no range": the response is the
/// full 200, never an error. For the same reason an edge that only answers single ranges may answer a
/// multi-range request with the full 200 instead of multipart/byteranges.
/// </remarks>
public sealed class ByteRangeRequest
{
    /// <summary>Enough for real clients; more specs in one request look like a denial of service (§14.2).</summary>
    public const int DefaultMaxRanges = 16;

    private ByteRangeRequest(IReadOnlyList<ByteRangeSpec> specs)
    {
        Specs = specs;
    }

    /// <summary>The range-specs, in request order.</summary>
    public IReadOnlyList<ByteRangeSpec> Specs { get; }

    /// <summary>False when the Range field is absent or is to be ignored (see the remarks).</summary>
    public static bool TryParse(StringValues range, [NotNullWhen(true)] out ByteRangeRequest? request, int maxRanges = DefaultMaxRanges)
    {
        request = null;
        if (range.Count != 1 || range[0] is not { } line)
        {
            return false;
        }
        var value = line.AsSpan().Trim(ListMembers.Whitespace);
        const string Unit = "bytes=";
        if (!value.StartsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            return false; // range units are case-insensitive (§14.1); only bytes is understood
        }
        var specs = new List<ByteRangeSpec>();
        foreach (var member in new ListMembers(value[Unit.Length..]))
        {
            if (specs.Count == maxRanges || !TryParseSpec(member, out var spec))
            {
                return false;
            }
            specs.Add(spec);
        }
        if (specs.Count == 0)
        {
            return false;
        }
        request = new ByteRangeRequest(specs);
        return true;
    }

    /// <summary>
    /// The satisfiable ranges of a representation of <paramref name="length"/> bytes (§14.1.2), or an empty
    /// list when none is: the answer is then 416 with <c>Content-Range: bytes */length</c>
    /// (<see cref="ContentRange.FormatUnsatisfied"/>). Overlapping or adjacent ranges are coalesced
    /// (§15.3.7.2 allows it), which also sorts them; otherwise request order is kept.
    /// </summary>
    public IReadOnlyList<ByteRange> Resolve(long length)
    {
        var ranges = new List<ByteRange>(Specs.Count);
        foreach (var spec in Specs)
        {
            if (length <= 0)
            {
                break; // nothing of an empty representation is satisfiable
            }
            if (spec.IsSuffix)
            {
                var suffix = spec.Last ?? 0;
                if (suffix > 0)
                {
                    var offset = suffix >= length ? 0 : length - suffix;
                    ranges.Add(new ByteRange(offset, length - offset));
                }
            }
            else if (spec.First is { } first && first < length)
            {
                var last = spec.Last is { } l && l < length - 1 ? l : length - 1;
                ranges.Add(new ByteRange(first, last - first + 1));
            }
        }
        return Overlaps(ranges) ? Coalesce(ranges) : ranges;
    }

    private static bool TryParseSpec(ReadOnlySpan<char> spec, out ByteRangeSpec result)
    {
        result = default;
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }
        var firstText = spec[..dash];
        var lastText = spec[(dash + 1)..];
        if (firstText.IsEmpty)
        {
            if (!TryParsePosition(lastText, out var suffix))
            {
                return false;
            }
            result = new ByteRangeSpec(null, suffix);
            return true;
        }
        if (!TryParsePosition(firstText, out var first))
        {
            return false;
        }
        if (lastText.IsEmpty)
        {
            result = new ByteRangeSpec(first, null);
            return true;
        }
        // §14.1.1: an int-range whose last-pos is below its first-pos is invalid.
        if (!TryParsePosition(lastText, out var last) || last < first)
        {
            return false;
        }
        result = new ByteRangeSpec(first, last);
        return true;
    }

    /// <summary>1*DIGIT, saturating at <see cref="long.MaxValue"/>: any larger position is past every representation's end anyway.</summary>
    private static bool TryParsePosition(ReadOnlySpan<char> digits, out long position)
    {
        position = 0;
        if (digits.IsEmpty)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            var digit = c - '0';
            position = position > (long.MaxValue - digit) / 10 ? long.MaxValue : position * 10 + digit;
        }
        return true;
    }

    private static bool Overlaps(List<ByteRange> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            for (var j = i + 1; j < ranges.Count; j++)
            {
                if (ranges[i].Offset <= ranges[j].Last + 1 && ranges[j].Offset <= ranges[i].Last + 1)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<ByteRange> Coalesce(List<ByteRange> ranges)
    {
        ranges.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var merged = new List<ByteRange> { ranges[0] };
        foreach (var range in ranges.Skip(1))
        {
            var previous = merged[^1];
            if (range.Offset <= previous.Last + 1)
            {
                var last = Math.Max(previous.Last, range.Last);
                merged[^1] = new ByteRange(previous.Offset, last - previous.Offset + 1);
            }
            else
            {
                merged.Add(range);
            }
        }
        return merged;
    }
}
