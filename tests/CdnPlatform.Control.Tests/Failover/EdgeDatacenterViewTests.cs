using CdnPlatform.Cluster.Health;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class EdgeDatacenterViewTests
{
    private const HealthState U = HealthState.Up;
    private const HealthState D = HealthState.Down;
    private const HealthState X = HealthState.Unknown;

    [Theory]
    [InlineData(new[] { U, D }, U, "reaches 1 of its 2 addresses")]
    [InlineData(new[] { U, X }, U, "reaches 1 of its 2 addresses")]
    [InlineData(new[] { D, D }, D, "reaches none of its 2 addresses")]
    // One address it has not made up its mind about: not enough to say the datacenter is down.
    [InlineData(new[] { D, X }, X, "cannot report: not probed enough yet")]
    [InlineData(new HealthState[0], X, "cannot report: knows no address of it")]
    public void DownOnlyWhenEveryAddressTheEdgeKnowsIsDown(HealthState[] addresses, HealthState view, string detail) =>
        Assert.Equal(new EdgeDatacenterView("ams", view, detail), EdgeDatacenterView.From("ams", addresses));

    [Fact]
    public void AnEdgeThatDidNotAnswer_CannotReport() =>
        Assert.Equal(new EdgeDatacenterView("ams", X, "cannot report: connection refused"), EdgeDatacenterView.From("ams", null, "connection refused"));
}
