using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// The last few key segments this thread made, by field name and raw field line, so that a request repeating a
/// line seen before (most clients send the same <c>Accept-Encoding</c> on every request) skips normalising it.
/// </summary>
/// <remarks>
/// Per thread, so the hit path takes no lock and a segment handed out stays put until this thread asks again.
/// Keyed on the exact name and line content (ordinal; a reused string matches by reference at once), so a
/// segment from here is always the one <see cref="VaryKeySegment.Write"/> would write: the cache saves time,
/// never changes an answer. Bounded: a few slots of a fixed size, replaced in turn.
/// </remarks>
internal static class RecentVaryKeySegments
{
    private const int SlotCount = 8;

    /// <summary>Room for one segment; a longer one (say a long User-Agent) is not kept.</summary>
    private const int SegmentCapacity = 512;

    /// <summary>
    /// A remembered segment. <see cref="Line"/> is null for an absent field; a slot not yet used, or being
    /// rewritten, has a null <see cref="Name"/> and so matches nothing.
    /// </summary>
    private struct Slot
    {
        public string? Name;
        public string? Line;
        public char[]? Segment;
        public int Length;
    }

    [ThreadStatic]
    private static Slot[]? t_slots;

    [ThreadStatic]
    private static int t_nextVictim;

    /// <summary>
    /// The segment for <paramref name="name"/> with <paramref name="lines"/>, made now if this thread has not kept
    /// it; false for what is not kept (several lines, a null line, a long value), which the caller writes itself.
    /// The span is valid until this thread next calls here.
    /// </summary>
    public static bool TryGet(string name, StringValues lines, out ReadOnlySpan<char> segment)
    {
        segment = default;
        string? line;
        if (lines.Count == 0)
        {
            line = null;
        }
        else if (lines.Count == 1 && lines[0] is { } only)
        {
            line = only;
        }
        else
        {
            return false;
        }
        var slots = t_slots ??= new Slot[SlotCount];
        for (var i = 0; i < slots.Length; i++)
        {
            ref var slot = ref slots[i];
            if (string.Equals(slot.Line, line) && string.Equals(slot.Name, name))
            {
                segment = slot.Segment.AsSpan(0, slot.Length);
                return true;
            }
        }
        if (VaryKeySegment.MaxLength(name, lines) > SegmentCapacity)
        {
            return false;
        }
        ref var victim = ref slots[t_nextVictim];
        t_nextVictim = (t_nextVictim + 1) % SlotCount;
        // Unmatchable while its text is rewritten, so it never pairs the new key with a half-written segment.
        victim.Name = null;
        victim.Segment ??= new char[SegmentCapacity];
        victim.Length = VaryKeySegment.Write(name, lines, victim.Segment);
        victim.Line = line;
        victim.Name = name;
        segment = victim.Segment.AsSpan(0, victim.Length);
        return true;
    }
}
