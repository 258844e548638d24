namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// A read of the purge log: <see cref="Entries"/> in sequence order, the oldest sequence the log still
/// holds (<see cref="FirstAvailable"/>, 0 when empty) and the newest ever appended (<see cref="Last"/>).
/// A reader whose mark is below <c>FirstAvailable - 1</c> has lost entries to trimming.
/// </summary>
public sealed record PurgeLogSlice(IReadOnlyList<PurgeMessage> Entries, long FirstAvailable, long Last)
{
    public bool HasGapAfter(long mark) => FirstAvailable > 0 && mark < FirstAvailable - 1;
}
