namespace CdnPlatform.Http.Headers;

/// <summary>
/// Splits one Cache-Control field line into directives: <c>token [ "=" ( token / quoted-string ) ]</c>,
/// comma separated, with optional whitespace, tolerating empty list elements (RFC 9110 §5.6.1).
/// </summary>
internal static class CacheControlTokenizer
{
    public static void Tokenize(ReadOnlySpan<char> line, ref CacheControlBuilder builder)
    {
        var i = 0;
        while (i < line.Length)
        {
            i = SkipWhitespaceAndCommas(line, i);
            if (i >= line.Length)
            {
                break;
            }
            var nameStart = i;
            while (i < line.Length && line[i] != '=' && line[i] != ',' && !IsWhitespace(line[i]))
            {
                i++;
            }
            var name = line[nameStart..i];
            i = SkipWhitespace(line, i);

            string? value = null;
            var malformed = false;
            if (i < line.Length && line[i] == '=')
            {
                i = SkipWhitespace(line, i + 1);
                if (i < line.Length && line[i] == '"')
                {
                    (value, i, malformed) = ReadQuoted(line, i);
                }
                else
                {
                    var valueStart = i;
                    while (i < line.Length && line[i] != ',' && !IsWhitespace(line[i]))
                    {
                        i++;
                    }
                    value = line[valueStart..i].ToString();
                }
            }
            // Anything before the next comma that is not whitespace makes the element malformed.
            i = SkipWhitespace(line, i);
            if (i < line.Length && line[i] != ',')
            {
                malformed = true;
                while (i < line.Length && line[i] != ',')
                {
                    i++;
                }
            }
            if (name.Length > 0)
            {
                builder.Add(name, value, malformed);
            }
        }
    }

    private static (string Value, int Next, bool Malformed) ReadQuoted(ReadOnlySpan<char> line, int quote)
    {
        var chars = new System.Text.StringBuilder();
        var i = quote + 1;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                chars.Append(line[i + 1]);
                i += 2;
                continue;
            }
            if (c == '"')
            {
                return (chars.ToString(), i + 1, false);
            }
            chars.Append(c);
            i++;
        }
        return (chars.ToString(), i, true); // unterminated quoted-string
    }

    private static int SkipWhitespace(ReadOnlySpan<char> line, int i)
    {
        while (i < line.Length && IsWhitespace(line[i]))
        {
            i++;
        }
        return i;
    }

    private static int SkipWhitespaceAndCommas(ReadOnlySpan<char> line, int i)
    {
        while (i < line.Length && (IsWhitespace(line[i]) || line[i] == ','))
        {
            i++;
        }
        return i;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';
}
