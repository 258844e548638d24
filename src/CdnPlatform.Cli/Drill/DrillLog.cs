using System.Collections.Concurrent;

namespace CdnPlatform.Cli.Drill;

/// <summary>
/// Everything a drill saw, on one clock that starts with the drill: each request's outcome, each acknowledged
/// write found lost, each purge accepted and whether every edge applied it. Thread-safe: every visitor writes here.
/// </summary>
public sealed class DrillLog(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private readonly ConcurrentQueue<DrillOutcome> _outcomes = new();
    private readonly ConcurrentQueue<TimeSpan> _writesAcknowledged = new();
    private readonly ConcurrentQueue<TimeSpan> _writesLost = new();
    private readonly ConcurrentDictionary<string, TrackedPurge> _purges = new();

    public TimeSpan Now => time.GetElapsedTime(_started);

    public IReadOnlyCollection<DrillOutcome> Outcomes => _outcomes;

    public void Record(DrillKind kind, TimeSpan started, string? error)
    {
        _outcomes.Enqueue(new DrillOutcome(kind, started, Now, error));
        if (kind == DrillKind.Write && error is null)
        {
            _writesAcknowledged.Enqueue(started);
        }
    }

    /// <summary>A write acknowledged earlier is not in the cart; <paramref name="writtenAt"/> is when it was sent.</summary>
    public void WriteLost(TimeSpan writtenAt) => _writesLost.Enqueue(writtenAt);

    public void PurgeAccepted(string id, TimeSpan at) => _purges[id] = new TrackedPurge(id, at);

    public IEnumerable<TrackedPurge> PendingPurges => _purges.Values.Where(p => p.Done is null);

    public int WritesAcknowledgedBetween(TimeSpan from, TimeSpan to) => _writesAcknowledged.Count(t => t >= from && t < to);

    public int WritesLostBetween(TimeSpan from, TimeSpan to) => _writesLost.Count(t => t >= from && t < to);

    /// <summary>Purges accepted in [from, to), and how many of them not every edge applied (pending ones included).</summary>
    public (int Accepted, int Lost) PurgesBetween(TimeSpan from, TimeSpan to)
    {
        var accepted = _purges.Values.Where(p => p.AcceptedAt >= from && p.AcceptedAt < to).ToList();
        return (accepted.Count, accepted.Count(p => p.Done != true));
    }
}
