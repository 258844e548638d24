using System.Net;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Control.Nodes;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.IntegrationTests;

/// <summary>The control plane draining a node through a real pair of gateways over real sockets.</summary>
public sealed class NodeDrainTests
{
    [Fact]
    public async Task Drain_ReachesBothGateways_AndTurnsIdleOnceTheSlowRequestOnTheNodeFinishes()
    {
        await using var datacenter = await DrainableDatacenter.StartAsync(["n1", "n2"]);
        var n1 = datacenter.Nodes["n1"];
        var held = await n1.ParkAsync(datacenter.Client(datacenter.Gateways[0].Address));

        var (status, draining) = await datacenter.NodeCallAsync(HttpMethod.Post, "n1/drain");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("draining", draining.GetProperty("state").GetString());
        Assert.Equal(1, draining.GetProperty("inFlight").GetInt32());
        Assert.All(draining.GetProperty("gateways").EnumerateArray(), g => Assert.True(g.GetProperty("drained").GetBoolean()));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("n2", await datacenter.ServedByAsync(i % 2));
        }
        var (_, stillDraining) = await datacenter.NodeCallAsync(HttpMethod.Get, "n1?wait=0.3");
        Assert.Equal("draining", stillDraining.GetProperty("state").GetString());

        n1.Release();
        using (var finished = await held)
        {
            Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
            Assert.Equal("n1", finished.Headers.GetValues("X-Served-By").Single());
        }
        var (_, idle) = await datacenter.NodeCallAsync(HttpMethod.Get, "n1?wait=10");
        Assert.Equal("idle", idle.GetProperty("state").GetString());
        Assert.Equal(0, idle.GetProperty("inFlight").GetInt32());

        var (_, active) = await datacenter.NodeCallAsync(HttpMethod.Post, "n1/undrain");
        Assert.Equal("active", active.GetProperty("state").GetString());
        Assert.All(active.GetProperty("gateways").EnumerateArray(), g => Assert.False(g.GetProperty("drained").GetBoolean()));
    }

    [Fact]
    public async Task RestartedGateway_LearnsTheDrainsAgain_AndKeepsTheDrainedNodeOut()
    {
        await using var datacenter = await DrainableDatacenter.StartAsync(["n1", "n2"]);
        Assert.Equal(HttpStatusCode.OK, (await datacenter.NodeCallAsync(HttpMethod.Post, "n1/drain")).Status);

        await datacenter.RestartGatewayAsync(1);

        // The new process starts with no drain; the control plane's next re-assertion gives it back.
        await Eventually.TrueAsync(async () => (await datacenter.GatewayViewAsync(1, "n1")).GetProperty("drained").GetBoolean(),
            () => "the restarted gateway never learnt that n1 is drained");
        var n1Requests = datacenter.Nodes["n1"].Requests;
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("n2", await datacenter.ServedByAsync(1));
        }
        Assert.Equal(n1Requests, datacenter.Nodes["n1"].Requests);
    }

    [Fact]
    public async Task Deploy_WhoseRestartCommandFails_Stops_AndLeavesTheNodeDrained()
    {
        await using var datacenter = await DrainableDatacenter.StartAsync(["n1", "n2"]);
        var events = new List<DeployEvent>();
        var deploy = new RollingDeploy(new NodeApi(datacenter.ControlClient), new CommandRestart("echo 'no such service {node}' >&2; exit 3"),
            TimeSpan.FromSeconds(30), TimeProvider.System, events.Add);

        Assert.False(await deploy.RunAsync(DrainableDatacenter.Datacenter, CancellationToken.None));

        Assert.Equal([DeployStage.Draining, DeployStage.Idle, DeployStage.Restarting, DeployStage.Failed], events.Select(e => e.Stage));
        Assert.Equal("n1: restart failed: `echo 'no such service n1' >&2; exit 3` exited with 3: no such service n1. "
            + "It stays drained; once it is fixed: cdnctl node undrain --dc primary --node n1", events[^1].Message);
        var (_, n1) = await datacenter.NodeCallAsync(HttpMethod.Get, "n1");
        Assert.Equal("idle", n1.GetProperty("state").GetString());
        var (_, n2) = await datacenter.NodeCallAsync(HttpMethod.Get, "n2");
        Assert.Equal("active", n2.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Restart_IsRefusedUntilTheNodeIsIdle_ThenGoesToTheHostsRestarter()
    {
        var restarter = new RecordingRestarter();
        await using var datacenter = await DrainableDatacenter.StartAsync(["n1", "n2"], services => services.AddSingleton<INodeRestarter>(restarter));

        var (refused, why) = await datacenter.NodeCallAsync(HttpMethod.Post, "n2/restart");
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.StartsWith("n2 is not drained", why.GetProperty("error").GetString());
        Assert.Empty(restarter.Restarted);

        var (_, drained) = await datacenter.NodeCallAsync(HttpMethod.Post, "n2/drain?wait=10");
        Assert.Equal("idle", drained.GetProperty("state").GetString());
        var (status, restarted) = await datacenter.NodeCallAsync(HttpMethod.Post, "n2/restart");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([(DrainableDatacenter.Datacenter, "n2")], restarter.Restarted);
        // Restarting does not undrain: that waits until the gateways see the node healthy again.
        Assert.Equal("idle", restarted.GetProperty("state").GetString());
    }
}
