using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// The Vary response field (RFC 9110 §12.5.5): the request fields a stored response was selected by.
/// Field names are case-insensitive, so they are kept lowercased, each once, in the order first listed.
/// </summary>
public sealed class VaryFields
{
    public static readonly VaryFields None = new([], isStar: false);

    private VaryFields(IReadOnlyList<string> names, bool isStar)
    {
        Names = names;
        IsStar = isStar;
    }

    /// <summary>The selecting field names, lowercased and distinct; empty for no Vary.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// A member is <c>*</c>, on any line and among any others (<c>*, *</c>, <c>, *</c>, <c>Foo, *</c>): the
    /// response varies on things outside the request, so no later request matches it (RFC 9111 §4.1).
    /// </summary>
    public bool IsStar { get; }

    /// <summary>No Vary at all: one stored response serves every request for the URI.</summary>
    public bool IsEmpty => Names.Count == 0 && !IsStar;

    public static VaryFields Parse(StringValues vary)
    {
        List<string>? names = null;
        var isStar = false;
        foreach (var line in vary)
        {
            foreach (var member in new ListMembers(line))
            {
                if (member is "*")
                {
                    isStar = true;
                    continue;
                }
                var name = member.ToString().ToLowerInvariant();
                names ??= [];
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }
        return names is null && !isStar ? None : new VaryFields(names ?? [], isStar);
    }

    public override string ToString() => IsStar ? "*" : string.Join(", ", Names);
}
