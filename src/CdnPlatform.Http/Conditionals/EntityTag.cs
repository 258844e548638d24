namespace CdnPlatform.Http.Conditionals;

/// <summary>
/// An entity-tag (RFC 9110 §8.8.3): <c>[ W/ ] DQUOTE *etagc DQUOTE</c>. <see cref="OpaqueTag"/> is the text
/// between the quotes.
/// </summary>
public readonly record struct EntityTag(string OpaqueTag, bool IsWeak)
{
    /// <summary>
    /// Parses one entity-tag, surrounding whitespace allowed. With <paramref name="tolerateMalformed"/>,
    /// forms seen in the wild are read too: a bare <c>abcdef</c> as the strong tag <c>"abcdef"</c>, and
    /// <c>w/"x"</c>, <c>W\"x"</c> or <c>W"x"</c> as weak. That leniency suits If-None-Match (a false match
    /// only costs a 304 the client asked for), never a strong comparison such as If-Range.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, out EntityTag tag, bool tolerateMalformed = false)
    {
        tag = default;
        value = value.Trim(" \t");
        var weak = false;
        if (value.StartsWith("W/"))
        {
            weak = true;
            value = value[2..];
        }
        else if (tolerateMalformed && value.Length > 1 && value[0] is 'W' or 'w' && value[1] is '/' or '\\' or '"')
        {
            weak = true;
            value = value[(value[1] == '"' ? 1 : 2)..];
        }
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var opaque = value[1..^1];
            if (!IsOpaque(opaque))
            {
                return false;
            }
            tag = new EntityTag(opaque.ToString(), weak);
            return true;
        }
        if (tolerateMalformed && !weak && !value.IsEmpty && IsOpaque(value) && value.IndexOfAny(" \t,") < 0)
        {
            tag = new EntityTag(value.ToString(), IsWeak: false);
            return true;
        }
        return false;
    }

    /// <summary>Strong comparison (RFC 9110 §8.8.3.2): both strong and the opaque tags identical.</summary>
    public bool StrongEquals(EntityTag other) => !IsWeak && !other.IsWeak && OpaqueTag == other.OpaqueTag;

    /// <summary>Weak comparison: the opaque tags identical, whatever the weakness flags.</summary>
    public bool WeakEquals(EntityTag other) => OpaqueTag == other.OpaqueTag;

    /// <summary>The field-value form, always quoted: <c>"x"</c> or <c>W/"x"</c>.</summary>
    public override string ToString() => IsWeak ? $"W/\"{OpaqueTag}\"" : $"\"{OpaqueTag}\"";

    /// <summary>
    /// etagc = %x21 / %x23-7E / obs-text: visible characters except DQUOTE. Any non-ASCII character counts
    /// as obs-text, however the server decoded the field's octets.
    /// </summary>
    private static bool IsOpaque(ReadOnlySpan<char> opaque)
    {
        foreach (var c in opaque)
        {
            if (c is '"' or <= ' ' or '\x7f')
            {
                return false;
            }
        }
        return true;
    }
}
