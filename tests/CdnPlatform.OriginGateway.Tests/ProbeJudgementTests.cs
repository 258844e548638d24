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
    // A node that answers 503 says it cannot serve: out at its first such answer, back at its first 2xx.
    [InlineData("not-ready", DestinationHealth.Healthy, DestinationHealth.Unhealthy)]
    [InlineData("not-ready", DestinationHealth.Unknown, DestinationHealth.Unhealthy)]
    [InlineData("ok not-ready ok", DestinationHealth.Healthy, DestinationHealth.Healthy)]
    [InlineData("failed not-ready", DestinationHealth.Healthy, DestinationHealth.Unhealthy)]
    [InlineData("not-ready failed", DestinationHealth.Healthy, DestinationHealth.Unhealthy)]
    public void Judge_TakesANodeOutAfterTwoFailuresInARow_OrOneNotReady_AndBackAfterOneSuccess(string probes, DestinationHealth before, DestinationHealth after)
    {
        var health = before;
        var tally = ProbeTally.None;
        foreach (var probe in probes.Split(' '))
        {
            tally = tally.After(probe switch { "ok" => ProbeOutcome.Ok, "not-ready" => ProbeOutcome.NotReady, _ => ProbeOutcome.Failed });
            health = ConsecutiveProbeFailuresPolicy.Judge(tally, threshold: 2, health);
        }

        Assert.Equal(after, health);
        Assert.Equal(probes.Split(' ').Length, tally.Rounds);
    }

    [Theory]
    [InlineData(200, ProbeOutcome.Ok)]
    [InlineData(204, ProbeOutcome.Ok)]
    [InlineData(503, ProbeOutcome.NotReady)]
    [InlineData(500, ProbeOutcome.Failed)]
    [InlineData(404, ProbeOutcome.Failed)]
    [InlineData(null, ProbeOutcome.Failed)]
    public void Outcome_IsNotReadyOnlyFor503(int? status, ProbeOutcome expected)
    {
        using var response = status is { } code ? new HttpResponseMessage((System.Net.HttpStatusCode)code) : null;

        Assert.Equal(expected, ConsecutiveProbeFailuresPolicy.Outcome(response));
    }
}
