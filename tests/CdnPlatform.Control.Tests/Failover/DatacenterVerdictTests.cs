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
    // With zero reporting edges (none configured, none answering, none knowing the datacenter's addresses) the control
    // plane alone never declares it down: it is one observer, and it may be the one cut off.
    [InlineData(D, new[] { X }, false, "the control plane cannot reach it, and no edge reports a view to confirm it")]
    // A partition between the control plane and the datacenter: every reporting edge still reaches it.
    [InlineData(D, new[] { U, X, U }, false, "the control plane cannot reach it, but 2 of 2 edges still do: a partition, not a failure")]
    // Really down: the control plane and the majority of the edges that can report.
    [InlineData(D, new[] { D, D, X, U }, true, "the control plane and 2 of 3 edges cannot reach it")]
    // The edges alone never declare it down.
    [InlineData(U, new[] { D, D }, false, "the control plane reaches it")]
    public void DownOnlyWhenTheControlPlaneAndMostReportingEdgesAgree(HealthState control, HealthState[] edges, bool down, string reason) =>
        Assert.Equal(new DatacenterVerdict(down, reason), DatacenterVerdict.Decide(control, edges));
}
