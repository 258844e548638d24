using System.Text;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// Splits one Cache-Control field line into directives: <c>token [ "=" ( token / quoted-string ) ]</c>,
/// comma separated, with optional whitespace, tolerating empty list elements (RFC 9110 §5.6.1).
/// </summary>
/// <remarks>
/// The grammar has no whitespace around <c>=</c> (RFC 9111 §5.2), so <c>max-age =60</c> and
/// <c>max-age= 60</c> are malformed, as is anything after the value but before the next comma. Commas
/// inside a quoted-string never split the list, so directives quoted in an extension's value stay unseen.
/// </remarks>
internal static class CacheControlTokenizer
{
    public static void Tokenize(ReadOnlySpan<char> line, ref CacheControlBuilder builder)
    {
        foreach (var member in new ListMembers(line))
        {
            var nameEnd = 0;
            while (nameEnd < member.Length && member[nameEnd] != '=' && !ListMembers.IsWhitespace(member[nameEnd]))
            {
                nameEnd++;
            }
            var name = member[..nameEnd];
            if (name.IsEmpty)
            {
                continue;
            }
            if (nameEnd == member.Length)
            {
                builder.Add(name, null, malformed: false);
                continue;
            }
            if (member[nameEnd] != '=')
            {
                // Whitespace after the name, then more text (e.g. "max-age =60"): not this grammar.
                builder.Add(name, null, malformed: true);
                continue;
            }
            var rest = member[(nameEnd + 1)..];
            if (rest.Length > 0 && rest[0] == '"')
            {
                var (value, next, unterminated) = ReadQuoted(rest);
                builder.Add(name, value, malformed: unterminated || next != rest.Length);
            }
            else
            {
                var malformed = rest.IsEmpty || rest.IndexOfAny(ListMembers.Whitespace) >= 0 || rest.Contains('"');
                builder.Add(name, rest.ToString(), malformed);
            }
        }
    }

    private static (string Value, int Next, bool Unterminated) ReadQuoted(ReadOnlySpan<char> text)
    {
        var chars = new StringBuilder();
        var i = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                chars.Append(text[i + 1]);
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
        return (chars.ToString(), i, true);
    }
}
