using CdnPlatform.Cli.Deploy;
using CdnPlatform.Control.Api;

namespace CdnPlatform.IntegrationTests;

/// <summary>A rolling deploy's two decisions: may this node go out now, and is it back in service.</summary>
public sealed class DeployGateTests
{
    private static GatewayNodeView At(string gateway, bool healthy = true, long probes = 10, string? lastProbe = "ok", string instance = "a",
        bool drained = false) =>
        new(gateway, true, null, drained, 0, healthy, !drained && healthy, probes, lastProbe, instance);

    private static NodeView Node(string name, string state, params GatewayNodeView[] gateways) => new("primary", name, state, 0, gateways);

    [Fact]
    public void TakeOut_IsAllowed_WhenEveryOtherNodeServesAtEveryGateway() =>
        Assert.Null(DeployGate.WhyNotTakeOut("n1", [Node("n1", "active", At("gw1"), At("gw2")), Node("n2", "active", At("gw1"), At("gw2"))]));

    [Theory]
    [InlineData("n2 drained", "n2 is idle: undrain it first")]
    [InlineData("n2 unhealthy", "n2 is not healthy at gateway gw2")]
    [InlineData("gw2 silent", "gateway gw2 does not answer for n1 (refused)")]
    public void TakeOut_IsRefused_WhenItWouldLeaveTheDatacenterShort(string trouble, string reason)
    {
        var n2 = trouble switch
        {
            "n2 drained" => Node("n2", "idle", At("gw1", drained: true), At("gw2", drained: true)),
            "n2 unhealthy" => Node("n2", "active", At("gw1"), At("gw2", healthy: false)),
            _ => Node("n2", "active", At("gw1"), At("gw2")),
        };
        var n1 = trouble == "gw2 silent" ? Node("n1", "active", At("gw1"), GatewayNodeView.Unreachable("gw2", "refused")) : Node("n1", "active", At("gw1"), At("gw2"));

        Assert.StartsWith(reason, DeployGate.WhyNotTakeOut("n1", [n1, n2]));
    }

    // Each gateway as "probes/lastProbe/instance", against a first answer after the restart of 10 probes, instance a.
    [Theory]
    [InlineData("12/ok/a 12/ok/a", true)]
    // One more probe may have begun before the restart: its "ok" may be the old process's.
    [InlineData("11/ok/a 12/ok/a", false)]
    [InlineData("12/failed/a 12/ok/a", false)]
    // A gateway restarted since counts from zero, and everything it saw is after the restart.
    [InlineData("1/ok/b 12/ok/a", true)]
    [InlineData("0/-/b 12/ok/a", false)]
    public void BackInService_TakesAProbeBegunAfterTheRestart_AtEveryGateway(string gateways, bool back)
    {
        var views = gateways.Split(' ').Select((g, i) =>
        {
            var parts = g.Split('/');
            return At($"gw{i}", probes: long.Parse(parts[0]), lastProbe: parts[1] == "-" ? null : parts[1], instance: parts[2], drained: true);
        }).ToArray();
        var sinceRestart = views.ToDictionary(v => v.Gateway, v => v with { Probes = 10, Instance = "a" });

        Assert.Equal(back, DeployGate.IsBackInService(Node("n1", "idle", views), sinceRestart));
    }

    [Fact]
    public void BackInService_NeedsAFirstAnswerFromEveryGateway() =>
        Assert.False(DeployGate.IsBackInService(Node("n1", "idle", At("gw1", probes: 50), At("gw2", probes: 50)),
            new Dictionary<string, GatewayNodeView> { ["gw1"] = At("gw1") }));

    [Fact]
    public void RestartCommand_FillsInTheNodeItsDatacenterAndItsPlace() =>
        Assert.Equal("docker compose restart primary-node-2 # primary-2",
            new CommandRestart("docker compose restart {dc}-node-{index} # {node}").CommandFor("primary", "primary-2", 2));
}
