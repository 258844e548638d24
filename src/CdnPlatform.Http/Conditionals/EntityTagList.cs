using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Conditionals;

/// <summary>
/// The value of If-None-Match (RFC 9110 §13.1.2): <c>"*"</c> or a list of entity-tags. Members that are
/// not entity-tags even by <see cref="EntityTag.TryParse"/>'s tolerant reading are skipped.
/// </summary>
public sealed class EntityTagList
{
    public static readonly EntityTagList Empty = new([], isAny: false);

    private EntityTagList(IReadOnlyList<EntityTag> tags, bool isAny)
    {
        Tags = tags;
        IsAny = isAny;
    }

    /// <summary>The field is exactly <c>*</c>: it matches any current representation.</summary>
    public bool IsAny { get; }

    public IReadOnlyList<EntityTag> Tags { get; }

    public static EntityTagList Parse(StringValues fieldLines)
    {
        List<EntityTag>? tags = null;
        var stars = 0;
        var others = 0;
        foreach (var line in fieldLines)
        {
            foreach (var member in new ListMembers(line))
            {
                if (member is "*")
                {
                    stars++;
                    continue;
                }
                others++;
                if (EntityTag.TryParse(member, out var tag, tolerateMalformed: true))
                {
                    (tags ??= []).Add(tag);
                }
            }
        }
        // "*" is only valid alone; mixed into a list it is ignored like any other invalid member.
        if (stars > 0 && others == 0)
        {
            return new EntityTagList([], isAny: true);
        }
        return tags is null ? Empty : new EntityTagList(tags, isAny: false);
    }

    /// <summary>Whether a listed tag matches <paramref name="current"/> by weak comparison, as If-None-Match uses.</summary>
    public bool MatchesWeakly(EntityTag current)
    {
        if (IsAny)
        {
            return true;
        }
        foreach (var tag in Tags)
        {
            if (tag.WeakEquals(current))
            {
                return true;
            }
        }
        return false;
    }
}
