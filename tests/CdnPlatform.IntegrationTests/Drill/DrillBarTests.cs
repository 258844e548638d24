using CdnPlatform.Cli.Drill;

namespace CdnPlatform.IntegrationTests.Drill;

public sealed class DrillBarTests
{
    private static DrillPhaseReport Phase(string name, int cacheableErrors = 0, int uncacheableErrors = 0, double recovery = 0, int sessionsKept = 3,
        int writesLost = 0, int purgesLost = 0, bool switched = true) =>
        new(name, "event", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
        [
            new KindFigures(DrillKind.Cacheable, 100, cacheableErrors, [], TimeSpan.Zero), new KindFigures(DrillKind.Uncacheable, 50, uncacheableErrors, [], TimeSpan.Zero),
            new KindFigures(DrillKind.Write, 20, 0, [], TimeSpan.Zero), new KindFigures(DrillKind.Purge, 10, 0, [], TimeSpan.Zero),
        ], TimeSpan.FromSeconds(recovery), switched ? TimeSpan.FromSeconds(1) : null, sessionsKept, 3, 20, writesLost, 10, purgesLost);

    [Fact]
    public void A_Loss_MayCostUncacheableRequests_ForFiveSeconds_AndWrites()
    {
        Assert.Empty(DrillBar.Misses(Phase("dc-loss", uncacheableErrors: 40, recovery: 4.9, writesLost: 2), planned: false));
    }

    [Theory]
    [InlineData(1, 0, 3, 0, true, "cacheable")]
    [InlineData(0, 5.1, 3, 0, true, "uncacheable requests failed for 5.1 s")]
    [InlineData(0, 0, 2, 0, true, "lost their session")]
    [InlineData(0, 0, 3, 1, true, "1 lost")]
    [InlineData(0, 0, 3, 0, false, "never showed")]
    public void A_Loss_MissesTheBar(int cacheableErrors, double recovery, int sessionsKept, int purgesLost, bool switched, string miss)
    {
        var misses = DrillBar.Misses(Phase("dc-loss", cacheableErrors: cacheableErrors, recovery: recovery, sessionsKept: sessionsKept,
            purgesLost: purgesLost, switched: switched), planned: false);
        Assert.Contains(misses, m => m.Contains(miss, StringComparison.Ordinal));
    }

    [Fact]
    public void A_PlannedSwitch_MayCostNothing()
    {
        Assert.Empty(DrillBar.Misses(Phase("failback"), planned: true));
        Assert.Contains(DrillBar.Misses(Phase("failback", uncacheableErrors: 1), planned: true), m => m.Contains("planned", StringComparison.Ordinal));
        Assert.Contains(DrillBar.Misses(Phase("failback", writesLost: 1), planned: true), m => m.Contains("writes lost", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("standby-loss", "never saw the killed datacenter down")]
    [InlineData("standby-back", "never caught up")]
    [InlineData("failback", "never showed the new active datacenter")]
    [InlineData("resumed", "never became a caught-up replica of the active one's")]
    public void A_PhaseWhoseMilestoneNeverCame_MissesTheBar_InItsOwnWords(string phase, string miss)
    {
        Assert.Contains(DrillBar.Misses(Phase(phase, switched: false), planned: true), m => m.Contains(miss, StringComparison.Ordinal));
        Assert.Empty(DrillBar.Misses(Phase(phase), planned: true));
    }

    [Theory]
    [InlineData("stall")]
    [InlineData("resumed")]
    public void A_Stall_MayCostUncacheableRequestsLikeALoss_ButNoAcknowledgedWrite(string phase)
    {
        Assert.Empty(DrillBar.Misses(Phase(phase, uncacheableErrors: 40, recovery: 4.9), planned: false));
        Assert.Equal([$"{phase}: 2 acknowledged writes lost by a datacenter that only stalled (the bar is 0)"],
            DrillBar.Misses(Phase(phase, writesLost: 2), planned: false));
    }
}
