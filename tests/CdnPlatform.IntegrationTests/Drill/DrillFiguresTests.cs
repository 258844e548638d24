using CdnPlatform.Cli.Drill;

namespace CdnPlatform.IntegrationTests.Drill;

public sealed class DrillFiguresTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static DrillOutcome Ok(DrillKind kind, double started) => new(kind, S(started), S(started + 0.01), null);

    private static DrillOutcome Failed(DrillKind kind, double started, double finished) => new(kind, S(started), S(finished), "503");

    [Fact]
    public void Recovery_IsTheEndOfTheLastFailedUncacheableRequest_FromTheEvent()
    {
        var outcomes = new[]
        {
            Ok(DrillKind.Uncacheable, 9), Failed(DrillKind.Uncacheable, 10.1, 10.2), Failed(DrillKind.Write, 11, 12.5),
            Ok(DrillKind.Uncacheable, 12.6), Failed(DrillKind.Cacheable, 20, 21),
        };
        Assert.Equal(S(2.5), DrillFigures.Recovery(outcomes, S(10)));
    }

    [Fact]
    public void Recovery_IsZero_WhenNothingUncacheableFailed_OrOnlyBeforeTheEvent()
    {
        Assert.Equal(TimeSpan.Zero, DrillFigures.Recovery([Ok(DrillKind.Write, 11), Failed(DrillKind.Purge, 11, 12)], S(10)));
        Assert.Equal(TimeSpan.Zero, DrillFigures.Recovery([Failed(DrillKind.Uncacheable, 8, 9)], S(10)));
    }

    [Fact]
    public void ByKind_ListsEveryKind_WithItsErrorsInOrder()
    {
        var figures = DrillFigures.ByKind([Ok(DrillKind.Cacheable, 1), Failed(DrillKind.Write, 3, 4), Failed(DrillKind.Write, 2, 2.5), Ok(DrillKind.Write, 5)]);
        Assert.Equal(Enum.GetValues<DrillKind>(), figures.Select(f => f.Kind));
        var writes = figures.Single(f => f.Kind == DrillKind.Write);
        Assert.Equal((3, 2), (writes.Requests, writes.Errors));
        // The slowest, failed or not: the one sent at 3 s and answered at 4 s.
        Assert.Equal(S(1), writes.Slowest);
        Assert.Equal(TimeSpan.Zero, figures.Single(f => f.Kind == DrillKind.Purge).Slowest);
        Assert.StartsWith("2.000s", writes.FirstErrors[0]);
        Assert.Equal((0, 0), (figures.Single(f => f.Kind == DrillKind.Purge).Requests, figures.Single(f => f.Kind == DrillKind.Purge).Errors));
    }

    [Fact]
    public void ByPhase_CountsARequestWhereItWasSent_ButASteadyOneFailedByTheFirstEventInThatEvent()
    {
        // Steady from 1 s to 4 s, the stall at 4 s to 10 s, the resume at 10 s to 15 s.
        (TimeSpan, TimeSpan)[] phases = [(S(1), S(4)), (S(4), S(10)), (S(10), S(15))];
        var early = Ok(DrillKind.Cacheable, 0.5);
        var steady = Ok(DrillKind.Write, 3.99);
        var failedInSteady = Failed(DrillKind.Write, 2, 3);
        // Sent 50 ms before the event, failed by it.
        var caughtByTheEvent = Failed(DrillKind.Write, 3.95, 4.2);
        // Sent before the event and still failing after the next one: the first event's all the same.
        var caughtLong = Failed(DrillKind.Uncacheable, 3.9, 10.5);
        var answeredLate = new DrillOutcome(DrillKind.Uncacheable, S(3.98), S(4.5), null);
        // Held through the stall, failed after the resume: the stall's.
        var heldThroughTheStall = Failed(DrillKind.Write, 5, 10.03);
        var afterTheResume = Failed(DrillKind.Uncacheable, 11, 11.1);
        var afterTheLoad = Failed(DrillKind.Write, 15.1, 15.2);

        var byPhase = DrillFigures.ByPhase(
            [early, steady, failedInSteady, caughtByTheEvent, caughtLong, answeredLate, heldThroughTheStall, afterTheResume, afterTheLoad], phases);

        Assert.Equal([steady, failedInSteady, answeredLate], byPhase[0]);
        Assert.Equal([caughtByTheEvent, caughtLong, heldThroughTheStall], byPhase[1]);
        Assert.Equal([afterTheResume], byPhase[2]);
    }
}
