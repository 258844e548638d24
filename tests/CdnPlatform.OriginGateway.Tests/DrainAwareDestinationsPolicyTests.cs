using CdnPlatform.OriginGateway.Drain;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>Which nodes get new requests, given each node's health and drain.</summary>
public sealed class DrainAwareDestinationsPolicyTests
{
    // Each node as "<name>:<health>[:drained]", health being up (healthy or unknown) or down (unhealthy).
    [Theory]
    [InlineData("a:up b:up c:up", "a b c")]
    [InlineData("a:up:drained b:up c:up", "b c")]
    [InlineData("a:up:drained b:down c:up", "c")]
    // No undrained node can serve: the healthy drained ones still do, rather than a refusal.
    [InlineData("a:up:drained b:down c:down", "a")]
    [InlineData("a:up:drained b:up:drained c:up:drained", "a b c")]
    // Nothing healthy: panic, as HealthyOrPanic does, but among the undrained nodes while there are any.
    [InlineData("a:down:drained b:down c:down", "b c")]
    [InlineData("a:down b:down", "a b")]
    [InlineData("a:down:drained b:down:drained", "a b")]
    public void Choose_LeavesDrainedNodesOut_WhileAnotherCanServe(string nodes, string expected)
    {
        var drained = new DrainedNodes();
        var all = new List<DestinationState>();
        var drainedNames = new List<string>();
        foreach (var node in nodes.Split(' '))
        {
            var parts = node.Split(':');
            var destination = new DestinationState(parts[0]);
            destination.Health.Active = parts[1] == "up" ? DestinationHealth.Healthy : DestinationHealth.Unhealthy;
            all.Add(destination);
            if (parts.Length > 2)
            {
                drainedNames.Add(parts[0]);
            }
        }
        drained.Replace(drainedNames);

        var chosen = DrainAwareDestinationsPolicy.Choose(all, drained);

        Assert.Equal(expected.Split(' '), chosen.Select(d => d.DestinationId));
    }

    [Fact]
    public void PassiveHealth_CountsAsActiveHealthDoes()
    {
        var failing = new DestinationState("a");
        failing.Health.Passive = DestinationHealth.Unhealthy;
        var unknown = new DestinationState("b");

        Assert.Equal(["b"], DrainAwareDestinationsPolicy.Choose([failing, unknown], new DrainedNodes()).Select(d => d.DestinationId));
    }

    [Fact]
    public void Replace_SaysWhetherTheSetChanged_IgnoringCase()
    {
        var drained = new DrainedNodes();

        Assert.True(drained.Replace(["primary-1"]));
        Assert.False(drained.Replace(["PRIMARY-1"]));
        Assert.True(drained.Contains("primary-1"));
        Assert.True(drained.Replace([]));
        Assert.False(drained.Contains("primary-1"));
    }
}
