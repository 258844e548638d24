namespace CdnPlatform.Cli.Drill;

/// <summary>
/// The bar of issue 12 applied to a phase report: what it misses, in words, empty when it holds. A datacenter loss
/// may cost uncacheable requests for up to <see cref="MaxRecovery"/>, never a cacheable page, a purge or a session;
/// a failback (a planned switchover), and a standby's loss and return, may cost nothing at all. A stall may cost
/// uncacheable requests as a loss does, but no acknowledged write.
/// </summary>
public static class DrillBar
{
    public static readonly TimeSpan MaxRecovery = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<string> Misses(DrillPhaseReport phase, bool planned)
    {
        var misses = new List<string>();
        if (phase.Of(DrillKind.Cacheable).Errors > 0)
        {
            misses.Add($"{phase.Name}: {phase.Of(DrillKind.Cacheable).Errors} cacheable requests failed (the bar is 0)");
        }
        if (phase.Of(DrillKind.Purge).Errors > 0 || phase.PurgesLost > 0)
        {
            misses.Add($"{phase.Name}: {phase.Of(DrillKind.Purge).Errors} purges refused and {phase.PurgesLost} lost (the bar is 0)");
        }
        if (phase.SessionsKept < phase.Sessions)
        {
            misses.Add($"{phase.Name}: {phase.Sessions - phase.SessionsKept} of {phase.Sessions} logged-in visitors lost their session");
        }
        if (planned)
        {
            if (phase.Errors > 0)
            {
                misses.Add($"{phase.Name}: {phase.Errors} requests failed in a planned switch (the bar is 0)");
            }
            if (phase.WritesLost > 0)
            {
                misses.Add($"{phase.Name}: {phase.WritesLost} acknowledged writes lost in a planned switch (the bar is 0)");
            }
        }
        else
        {
            if (phase.Recovery > MaxRecovery)
            {
                misses.Add($"{phase.Name}: uncacheable requests failed for {phase.Recovery.TotalSeconds:0.0} s (the bar is {MaxRecovery.TotalSeconds:0} s)");
            }
            if (phase.WritesLost > 0 && DrillPhaseNames.KeepsEveryWrite(phase.Name))
            {
                misses.Add($"{phase.Name}: {phase.WritesLost} acknowledged writes lost by a datacenter that only stalled (the bar is 0)");
            }
        }
        if (phase.Switched is null && phase.Name != DrillPhaseNames.Steady)
        {
            misses.Add($"{phase.Name}: {DrillPhaseNames.MilestoneMissed(phase.Name)}");
        }
        return misses;
    }
}
