using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// Normalises a selecting request field as RFC 9111 §4.1 permits: only changes that cannot alter what the
/// field means, so two requests that normalise alike may share a stored response.
/// </summary>
/// <remarks>
/// <para>Any field: field lines combined, list members trimmed of whitespace, empty members dropped
/// (RFC 9110 §5.6.1), joined by a bare comma. Commas in quoted strings do not split.</para>
/// <para>Accept-Language: ranges lowercased (RFC 4647 §2.1: case-insensitive), <c>q=1</c>/<c>q=1.0</c>
/// dropped as the default, other q-values written canonically, and ranges stably ordered by descending
/// q. Ranges of equal weight keep their order: in RFC 4647 lookup the list order breaks ties, so
/// <c>en, de</c> and <c>de, en</c> may get different answers (the suite's optimal
/// vary-normalise-lang-order is not met on purpose). Choosing by the stored Content-Language
/// (vary-normalise-lang-select) is negotiation, not normalisation, and needs the response.</para>
/// <para>Accept-Encoding: codings lowercased, <c>x-gzip</c>/<c>x-compress</c> read as <c>gzip</c>/<c>compress</c>
/// (RFC 9110 §8.4.1), q-values canonical, members sorted by coding since only q-values express preference
/// (§12.5.3). An absent Accept-Encoding accepts any coding, so it stays distinct from <c>identity</c>.</para>
/// <para>A value these rules cannot parse falls back to the general rule (lowercased for these two fields).</para>
/// </remarks>
internal static class SelectingFieldValue
{
    private const int StackMembers = 32;

    /// <summary>An upper bound for <see cref="Normalize"/>'s output: normalising never lengthens the combined value.</summary>
    public static int MaxNormalizedLength(StringValues lines)
    {
        var length = lines.Count;
        foreach (var line in lines)
        {
            length += line?.Length ?? 0;
        }
        return length;
    }

    /// <summary>Writes the normalised value into <paramref name="destination"/> and returns its length.</summary>
    public static int Normalize(string fieldName, StringValues lines, Span<char> destination)
    {
        var isLanguage = fieldName == "accept-language";
        var isEncoding = fieldName == "accept-encoding";
        if ((isLanguage || isEncoding) && TryNormalizeWeighted(lines, destination, sortByName: isEncoding, out var written))
        {
            return written;
        }
        return NormalizeList(lines, destination, lowercase: isLanguage || isEncoding);
    }

    private static int NormalizeList(StringValues lines, Span<char> destination, bool lowercase)
    {
        var n = 0;
        foreach (var line in lines)
        {
            foreach (var member in new ListMembers(line))
            {
                if (n > 0)
                {
                    destination[n++] = ',';
                }
                n += lowercase ? member.ToLowerInvariant(destination[n..]) : Copy(member, destination[n..]);
            }
        }
        return n;
    }

    /// <summary>One <c>value [;q=…]</c> member of an Accept-* field, by position in its line.</summary>
    private readonly record struct WeightedMember(int Line, int Start, int Length, int Quality);

    private static bool TryNormalizeWeighted(StringValues lines, Span<char> destination, bool sortByName, out int written)
    {
        written = 0;
        var count = 0;
        foreach (var line in lines)
        {
            foreach (var _ in new ListMembers(line))
            {
                count++;
            }
        }
        var members = count <= StackMembers ? stackalloc WeightedMember[StackMembers] : new WeightedMember[count];
        members = members[..count];
        var m = 0;
        for (var l = 0; l < lines.Count; l++)
        {
            var enumerator = new ListMembers(lines[l]);
            while (enumerator.MoveNext())
            {
                if (!TryParseWeighted(enumerator.Current, out var valueLength, out var quality))
                {
                    return false;
                }
                members[m++] = new WeightedMember(l, enumerator.CurrentOffset, valueLength, quality);
            }
        }
        SortStably(members, lines, sortByName);
        var n = 0;
        foreach (var member in members)
        {
            if (n > 0)
            {
                destination[n++] = ',';
            }
            var value = Value(lines, member);
            n += (sortByName ? CodingName(value) : value).ToLowerInvariant(destination[n..]);
            if (member.Quality != 1000)
            {
                n += Copy(";q=", destination[n..]);
                n += WriteQuality(member.Quality, destination[n..]);
            }
        }
        written = n;
        return true;
    }

    /// <summary><c>token [ OWS ";" OWS "q=" qvalue ]</c>; anything else (other parameters, quotes) is not handled here.</summary>
    private static bool TryParseWeighted(ReadOnlySpan<char> member, out int valueLength, out int quality)
    {
        quality = 1000;
        var semicolon = member.IndexOf(';');
        var value = semicolon < 0 ? member : member[..semicolon].TrimEnd(ListMembers.Whitespace);
        valueLength = value.Length;
        if (value.IsEmpty || value.IndexOfAny(" \t\"") >= 0)
        {
            return false;
        }
        if (semicolon < 0)
        {
            return true;
        }
        var parameter = member[(semicolon + 1)..].TrimStart(ListMembers.Whitespace);
        return parameter.Length > 2 && parameter[0] is 'q' or 'Q' && parameter[1] == '=' && TryParseQuality(parameter[2..], out quality);
    }

    /// <summary>qvalue (RFC 9110 §12.4.2): <c>0[.ddd]</c> or <c>1[.000]</c>, as thousandths.</summary>
    private static bool TryParseQuality(ReadOnlySpan<char> text, out int thousandths)
    {
        thousandths = 0;
        if (text.IsEmpty || text[0] is not ('0' or '1') || text.Length > 5 || (text.Length > 1 && text[1] != '.'))
        {
            return false;
        }
        var value = (text[0] - '0') * 1000;
        var scale = 100;
        for (var i = 2; i < text.Length; i++, scale /= 10)
        {
            if (text[i] is < '0' or > '9')
            {
                return false;
            }
            value += (text[i] - '0') * scale;
        }
        if (value > 1000)
        {
            return false;
        }
        thousandths = value;
        return true;
    }

    private static int WriteQuality(int thousandths, Span<char> destination)
    {
        if (thousandths == 0)
        {
            destination[0] = '0';
            return 1;
        }
        destination[0] = '0';
        destination[1] = '.';
        var n = 2;
        for (var scale = 100; scale > 0 && thousandths > 0; scale /= 10)
        {
            destination[n++] = (char)('0' + thousandths / scale);
            thousandths %= scale;
        }
        return n;
    }

    /// <summary>Insertion sort: stable, and these lists are short.</summary>
    private static void SortStably(Span<WeightedMember> members, StringValues lines, bool sortByName)
    {
        for (var i = 1; i < members.Length; i++)
        {
            var current = members[i];
            var j = i - 1;
            while (j >= 0 && Compare(members[j], current, lines, sortByName) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }
            members[j + 1] = current;
        }
    }

    private static int Compare(WeightedMember a, WeightedMember b, StringValues lines, bool sortByName)
    {
        if (sortByName)
        {
            var byName = CodingName(Value(lines, a)).CompareTo(CodingName(Value(lines, b)), StringComparison.OrdinalIgnoreCase);
            if (byName != 0)
            {
                return byName;
            }
        }
        return b.Quality.CompareTo(a.Quality);
    }

    private static ReadOnlySpan<char> Value(StringValues lines, WeightedMember member) =>
        lines[member.Line].AsSpan(member.Start, member.Length);

    private static ReadOnlySpan<char> CodingName(ReadOnlySpan<char> coding) =>
        coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
        : coding.Equals("x-compress", StringComparison.OrdinalIgnoreCase) ? "compress"
        : coding;

    private static int Copy(ReadOnlySpan<char> source, Span<char> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
