using System.Text;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Headers;

/// <summary>
/// A Dictionary Structured Field (RFC 8941 §3.2, parsed as §4.2.2 says), reduced to what a targeted cache
/// field needs: each member's key, the type of its value, and the value as text. Parameters are parsed (so
/// their syntax is checked) and dropped, as RFC 9213 §2.1 says to ignore them.
/// </summary>
internal static class StructuredDictionary
{
    public enum ValueKind
    {
        Boolean,
        Integer,
        Decimal,
        String,
        Token,
        ByteSequence,
        InnerList,
    }

    /// <summary>One member. <paramref name="Text"/> is the digits, the unescaped string or the token; for a Boolean, "?0" or "?1".</summary>
    public readonly record struct Member(string Key, ValueKind Kind, string Text);

    /// <summary>
    /// Parses the field lines as one dictionary (lines joined by commas, empty lines skipped). False on any
    /// syntax error or when the field is empty: either way RFC 9213 §2.1 has the cache ignore the field.
    /// A key seen twice keeps its last value (§4.2.2).
    /// </summary>
    public static bool TryParse(StringValues lines, out List<Member> members)
    {
        members = [];
        var combined = Combine(lines);
        var parser = new Parser(combined);
        parser.SkipSpaces();
        if (parser.AtEnd)
        {
            return false;
        }
        while (true)
        {
            if (!parser.TryParseMember(out var member))
            {
                return false;
            }
            var existing = members.FindIndex(m => m.Key == member.Key);
            if (existing >= 0)
            {
                members.RemoveAt(existing);
            }
            members.Add(member);
            parser.SkipOptionalWhitespace();
            if (parser.AtEnd)
            {
                return true;
            }
            if (!parser.TryConsume(','))
            {
                return false;
            }
            parser.SkipOptionalWhitespace();
            if (parser.AtEnd)
            {
                return false; // a trailing comma is an error in Structured Fields
            }
        }
    }

    private static string Combine(StringValues lines)
    {
        if (lines.Count == 1)
        {
            return lines[0] ?? "";
        }
        var combined = new StringBuilder();
        foreach (var line in lines)
        {
            if (string.IsNullOrEmpty(line))
            {
                continue;
            }
            if (combined.Length > 0)
            {
                combined.Append(", ");
            }
            combined.Append(line);
        }
        return combined.ToString();
    }

    private ref struct Parser(string input)
    {
        private readonly ReadOnlySpan<char> _input = input;
        private int _pos;

        public readonly bool AtEnd => _pos >= _input.Length;

        private readonly char Peek => _pos < _input.Length ? _input[_pos] : '\0';

        public void SkipSpaces()
        {
            while (!AtEnd && _input[_pos] == ' ')
            {
                _pos++;
            }
        }

        public void SkipOptionalWhitespace()
        {
            while (!AtEnd && _input[_pos] is ' ' or '\t')
            {
                _pos++;
            }
        }

        public bool TryConsume(char c)
        {
            if (Peek != c || AtEnd)
            {
                return false;
            }
            _pos++;
            return true;
        }

        public bool TryParseMember(out Member member)
        {
            member = default;
            if (!TryParseKey(out var key))
            {
                return false;
            }
            if (!TryConsume('='))
            {
                member = new Member(key, ValueKind.Boolean, "?1");
                return TrySkipParameters();
            }
            if (Peek == '(')
            {
                member = new Member(key, ValueKind.InnerList, "");
                return TrySkipInnerList();
            }
            if (!TryParseBareItem(out var kind, out var text))
            {
                return false;
            }
            member = new Member(key, kind, text);
            return TrySkipParameters();
        }

        private bool TryParseKey(out string key)
        {
            key = "";
            if (!(Peek is >= 'a' and <= 'z' or '*') || AtEnd)
            {
                return false;
            }
            var start = _pos;
            while (!AtEnd && Peek is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.' or '*')
            {
                _pos++;
            }
            key = _input[start.._pos].ToString();
            return true;
        }

        private bool TrySkipParameters()
        {
            while (TryConsume(';'))
            {
                SkipSpaces();
                if (!TryParseKey(out _))
                {
                    return false;
                }
                if (TryConsume('=') && !TryParseBareItem(out _, out _))
                {
                    return false;
                }
            }
            return true;
        }

        private bool TrySkipInnerList()
        {
            _pos++; // '('
            while (!AtEnd)
            {
                SkipSpaces();
                if (TryConsume(')'))
                {
                    return TrySkipParameters();
                }
                if (!TryParseBareItem(out _, out _) || !TrySkipParameters())
                {
                    return false;
                }
                if (Peek is not (' ' or ')'))
                {
                    return false;
                }
            }
            return false;
        }

        private bool TryParseBareItem(out ValueKind kind, out string text)
        {
            kind = default;
            text = "";
            if (AtEnd)
            {
                return false;
            }
            var c = Peek;
            if (c is '-' or >= '0' and <= '9')
            {
                return TryParseNumber(out kind, out text);
            }
            if (c == '"')
            {
                kind = ValueKind.String;
                return TryParseString(out text);
            }
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '*')
            {
                kind = ValueKind.Token;
                var start = _pos;
                _pos++;
                while (!AtEnd && (IsTokenChar(Peek) || Peek is ':' or '/'))
                {
                    _pos++;
                }
                text = _input[start.._pos].ToString();
                return true;
            }
            if (c == ':')
            {
                kind = ValueKind.ByteSequence;
                _pos++;
                while (!AtEnd && Peek is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '+' or '/' or '=')
                {
                    _pos++;
                }
                return TryConsume(':');
            }
            if (c == '?')
            {
                kind = ValueKind.Boolean;
                _pos++;
                if (Peek is '0' or '1' && !AtEnd)
                {
                    text = Peek == '1' ? "?1" : "?0";
                    _pos++;
                    return true;
                }
                return false;
            }
            return false;
        }

        /// <summary>§4.2.4: at most 15 integer digits; a decimal has at most 12 before and 1–3 after the point.</summary>
        private bool TryParseNumber(out ValueKind kind, out string text)
        {
            kind = ValueKind.Integer;
            text = "";
            var start = _pos;
            TryConsume('-');
            if (!(Peek is >= '0' and <= '9') || AtEnd)
            {
                return false;
            }
            var integerDigits = 0;
            var fractionDigits = -1;
            while (!AtEnd)
            {
                var c = Peek;
                if (c is >= '0' and <= '9')
                {
                    if (fractionDigits >= 0)
                    {
                        fractionDigits++;
                    }
                    else
                    {
                        integerDigits++;
                    }
                }
                else if (c == '.' && fractionDigits < 0)
                {
                    if (integerDigits > 12)
                    {
                        return false;
                    }
                    fractionDigits = 0;
                }
                else
                {
                    break;
                }
                _pos++;
            }
            if (fractionDigits < 0)
            {
                if (integerDigits > 15)
                {
                    return false;
                }
            }
            else
            {
                if (fractionDigits is < 1 or > 3)
                {
                    return false;
                }
                kind = ValueKind.Decimal;
            }
            text = _input[start.._pos].ToString();
            return true;
        }

        private bool TryParseString(out string text)
        {
            text = "";
            _pos++; // opening quote
            var chars = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek;
                _pos++;
                if (c == '\\')
                {
                    if (AtEnd || Peek is not ('"' or '\\'))
                    {
                        return false;
                    }
                    chars.Append(Peek);
                    _pos++;
                }
                else if (c == '"')
                {
                    text = chars.ToString();
                    return true;
                }
                else if (c is < ' ' or > '~')
                {
                    return false;
                }
                else
                {
                    chars.Append(c);
                }
            }
            return false; // unterminated
        }

        private static bool IsTokenChar(char c) =>
            c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
    }
}
