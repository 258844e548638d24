using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>The active health check's verdict after each probe, and the tally a deploy reads.</summary>
public sealed class ProbeJudgementTests
{
    [Theory]
    [InlineData("ok", DestinationHealth.Unknown, DestinationHealth.Healthy)]
    [InlineData("ok", DestinationHealth.Unhealthy, DestinationHealth.Healthy)]
    // One failure below the threshold of two changes nothing, whatever the node was.
    [InlineData("failed", DestinationHealth.Healthy, DestinationHealth.Healthy)]
    [InlineData("failed", DestinationHealth.Unknown, DestinationHealth.Unknown)]
    [InlineData("failed failed", DestinationHealth.Healthy, DestinationHealth.Unhealthy)]
    [InlineData("failed ok failed", DestinationHealth.Healthy, DestinationHealth.Healthy)]
    [InlineData("ok failed failed failed", DestinationHealth.Healthy, DestinationHealth.Unhealthy)]
    public void Judge_TakesANodeOutAfterTwoFailuresInARow_AndBackAfterOneSuccess(string probes, DestinationHealth before, DestinationHealth after)
    {
        var health = before;
        var tally = ProbeTally.None;
        foreach (var probe in probes.Split(' '))
        {
            tally = tally.After(probe == "ok");
            health = ConsecutiveProbeFailuresPolicy.Judge(tally, threshold: 2, health);
        }

        Assert.Equal(after, health);
        Assert.Equal(probes.Split(' ').Length, tally.Rounds);
    }
}
