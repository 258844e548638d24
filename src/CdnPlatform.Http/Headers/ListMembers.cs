namespace CdnPlatform.Http.Headers;

/// <summary>
/// The members of one list-based field line (RFC 9110 §5.6.1): split at commas outside quoted strings,
/// optional whitespace trimmed, empty members skipped as recipients must. Used with <c>foreach</c>; it
/// allocates nothing.
/// </summary>
internal ref struct ListMembers
{
    private readonly ReadOnlySpan<char> _line;
    private int _next;

    public ListMembers(ReadOnlySpan<char> line)
    {
        _line = line;
        _next = 0;
        Current = default;
        CurrentOffset = 0;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>Where <see cref="Current"/> starts in the line.</summary>
    public int CurrentOffset { get; private set; }

    public readonly ListMembers GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _line.Length)
        {
            var start = _next;
            var end = EndOfMember(_line, start);
            _next = end + 1;
            var untrimmed = _line[start..end];
            var member = untrimmed.Trim(Whitespace);
            if (!member.IsEmpty)
            {
                Current = member;
                CurrentOffset = start + (untrimmed.Length - untrimmed.TrimStart(Whitespace).Length);
                return true;
            }
        }
        return false;
    }

    /// <summary>Space and horizontal tab: OWS (RFC 9110 §5.6.3).</summary>
    public const string Whitespace = " \t";

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>The index of the comma that ends the member starting at <paramref name="start"/>, or the line's length.</summary>
    private static int EndOfMember(ReadOnlySpan<char> line, int start)
    {
        var i = start;
        while (i < line.Length && line[i] != ',')
        {
            i = line[i] == '"' ? EndOfQuotedString(line, i) : i + 1;
        }
        return i;
    }

    /// <summary>The index just past the quoted-string opening at <paramref name="quote"/> (the line's end when unterminated).</summary>
    public static int EndOfQuotedString(ReadOnlySpan<char> line, int quote)
    {
        var i = quote + 1;
        while (i < line.Length)
        {
            if (line[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (line[i] == '"')
            {
                return i + 1;
            }
            i++;
        }
        return line.Length;
    }
}
