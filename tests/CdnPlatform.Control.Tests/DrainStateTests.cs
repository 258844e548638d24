using CdnPlatform.Control.Api;
using CdnPlatform.Control.Nodes;

namespace CdnPlatform.Control.Tests;

/// <summary>A node's drain state from what its datacenter's gateways report.</summary>
public sealed class DrainStateTests
{
    // Each gateway as "drained/inFlight", "undrained/inFlight", or "unreachable".
    [Theory]
    [InlineData(false, "undrained/0 undrained/3", DrainState.Active)]
    // Not drained is active, whatever a gateway that has not heard of the undrain yet says.
    [InlineData(false, "drained/0 undrained/0", DrainState.Active)]
    [InlineData(true, "drained/0 drained/0", DrainState.Idle)]
    [InlineData(true, "drained/0 drained/1", DrainState.Draining)]
    // A gateway that has not taken the drain yet still sends the node new requests.
    [InlineData(true, "drained/0 undrained/0", DrainState.Draining)]
    // A gateway that does not answer may be cut off from the control plane and still forwarding.
    [InlineData(true, "drained/0 unreachable", DrainState.Draining)]
    [InlineData(true, "drained/0", DrainState.Idle)]
    public void Decide(bool drained, string gateways, string expected)
    {
        var views = gateways.Split(' ').Select((gateway, i) => gateway == "unreachable"
            ? GatewayNodeView.Unreachable($"http://gw{i}", "refused")
            : new GatewayNodeView($"http://gw{i}", true, null, gateway.StartsWith("drained", StringComparison.Ordinal),
                int.Parse(gateway.Split('/')[1]), Healthy: true, Available: false, Probes: 1, LastProbe: "ok", Instance: "a")).ToList();

        Assert.Equal(expected, DrainState.Decide(drained, views));
    }
}
