using CdnPlatform.Cluster.Health;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class DatacenterVerdictTests
{
    private const HealthState U = HealthState.Up;
    private const HealthState D = HealthState.Down;
    private const HealthState X = HealthState.Unknown;

    [Theory]
    [InlineData(U, new[] { D, D, D }, false, "the control plane reaches it")]
    [InlineData(X, new[] { D, D, D }, false, "not probed enough yet")]
    [InlineData(D, new[] { D, D, D }, true, "the control plane and 3 of 3 edges cannot reach it")]
    [InlineData(D, new[] { D, D, U }, true, "the control plane and 2 of 3 edges cannot reach it")]
    [InlineData(D, new[] { D, U, U }, false, "the control plane cannot reach it, but 2 of 3 edges still do: a partition, not a failure")]
    [InlineData(D, new[] { U, U, U }, false, "the control plane cannot reach it, but 3 of 3 edges still do: a partition, not a failure")]
    // Half is not a majority.
    [InlineData(D, new[] { D, U }, false, "the control plane cannot reach it, but 1 of 2 edges still do: a partition, not a failure")]
    // Edges without a view (not reporting, or not probed yet) count neither way.
    [InlineData(D, new[] { D, X, X }, true, "the control plane and 1 of 1 edges cannot reach it")]
    [InlineData(D, new[] { X, X }, false, "the control plane cannot reach it, and no edge reports a view to confirm it")]
    [InlineData(D, new HealthState[0], false, "the control plane cannot reach it, and no edge reports a view to confirm it")]
    public void DownOnlyWhenTheControlPlaneAndMostReportingEdgesAgree(HealthState control, HealthState[] edges, bool down, string reason) =>
        Assert.Equal(new DatacenterVerdict(down, reason), DatacenterVerdict.Decide(control, edges));
}
