using CdnPlatform.Cluster.Health;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class HealthHysteresisTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    // Feeds probes (1 = success, 0 = failure) and returns the state after each.
    private static string Run(string probes, int failAfter = 3, int recoverAfter = 3)
    {
        var health = new HealthHysteresis(failAfter, recoverAfter);
        return string.Concat(probes.Select((p, i) =>
        {
            health.Record(p == '1', T0.AddMilliseconds(500 * i));
            return health.State switch { HealthState.Up => "U", HealthState.Down => "D", _ => "?" };
        }));
    }

    [Theory]
    [InlineData("1", "U")]                       // the first success is enough: nothing to flap from
    [InlineData("00", "??")]                     // not down before FailAfter failures
    [InlineData("000", "??D")]                   // down from unknown after FailAfter failures
    [InlineData("1001", "UUUU")]                 // two failures are a blip
    [InlineData("1000", "UUUD")]                 // the third in a row is not
    [InlineData("1000110111", "UUUDDDDDDU")]     // back only after RecoverAfter successes in a row
    [InlineData("100010101010", "UUUDDDDDDDDD")] // a datacenter answering every other probe stays down
    public void StateFollowsStreaks(string probes, string states) => Assert.Equal(states, Run(probes));

    [Fact]
    public void Thresholds_AreTheConfiguredOnes() => Assert.Equal("UDDDU", Run("10011", failAfter: 1, recoverAfter: 2));

    [Fact]
    public void Record_SaysWhenTheStateChanged_AndSince()
    {
        var health = new HealthHysteresis(2, 2);
        Assert.True(health.Record(true, T0));
        Assert.False(health.Record(false, T0.AddSeconds(1), "refused"));
        Assert.Equal("refused", health.LastError);
        Assert.True(health.Record(false, T0.AddSeconds(2), "refused"));
        Assert.Equal((HealthState.Down, T0.AddSeconds(2)), (health.State, health.Since));
        Assert.False(health.Record(true, T0.AddSeconds(3)));
        Assert.Null(health.LastError);
        Assert.Equal(T0.AddSeconds(2), health.Since);
    }

    [Fact]
    public void ZeroThresholds_AreRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new HealthHysteresis(0, 1));
}
