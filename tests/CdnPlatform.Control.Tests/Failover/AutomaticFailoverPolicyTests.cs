using CdnPlatform.Control.Api;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class AutomaticFailoverPolicyTests
{
    private const AutomaticFailoverAction Wait = AutomaticFailoverAction.Wait;
    private const AutomaticFailoverAction Rearm = AutomaticFailoverAction.Rearm;
    private const AutomaticFailoverAction FailOver = AutomaticFailoverAction.FailOver;

    // name:control view:down(d)/not down(-):edges seeing it up
    [Theory]
    [InlineData("primary", "primary:up:-:2 dr:up:-:2", null, false, Wait, null, "primary is not down")]
    // A partition: the verdict says not down, so the policy does not act on the control plane's view alone.
    [InlineData("primary", "primary:down:-:2 dr:up:-:2", null, false, Wait, null, "primary is not down")]
    [InlineData("primary", "primary:down:d:0 dr:up:-:2", null, false, FailOver, "dr", "primary is down: lost; dr is up")]
    [InlineData("primary", "primary:down:d:0 dr:down:d:0", null, false, Wait, null, "primary is down (lost), but no other datacenter is up")]
    [InlineData("primary", "primary:down:d:0 dr:unknown:-:0", null, false, Wait, null, "primary is down (lost), but no other datacenter is up")]
    // The healthiest other one: more edges see it up; on a tie, the first configured.
    [InlineData("primary", "primary:down:d:0 dr:up:-:1 dr2:up:-:2", null, false, FailOver, "dr2", "primary is down: lost; dr2 is up")]
    [InlineData("primary", "primary:down:d:0 dr:up:-:2 dr2:up:-:2", null, false, FailOver, "dr", "primary is down: lost; dr is up")]
    // Once: after acting on primary's loss it waits, whatever happens to the datacenter it moved to ...
    [InlineData("dr", "primary:down:d:0 dr:up:-:2", "primary", false, Wait, null, "already acted on the loss of primary: waiting for a person or its recovery")]
    [InlineData("dr", "primary:down:d:0 dr:down:d:0 dr2:up:-:2", "primary", false, Wait, null, "already acted on the loss of primary: waiting for a person or its recovery")]
    // ... and never moves back to primary while dr is fine: primary coming back only re-arms it.
    [InlineData("dr", "primary:up:-:2 dr:up:-:2", "primary", false, Rearm, null, "primary is up again")]
    [InlineData("dr", "primary:down:-:2 dr:up:-:2", "primary", false, Wait, null, "already acted on the loss of primary: waiting for a person or its recovery")]
    [InlineData("dr", "primary:down:d:0 dr:up:-:2", "primary", true, Rearm, null, "a person switched datacenters since the automatic failover")]
    // Re-armed, the next loss (of dr, primary back) is acted on like the first.
    [InlineData("dr", "primary:up:-:2 dr:down:d:0", null, false, FailOver, "primary", "dr is down: lost; primary is up")]
    public void ActsOnceWhenTheActiveDatacenterIsDownAndAnotherIsUp(string active, string datacenters, string? spentOn, bool personSwitched,
        AutomaticFailoverAction action, string? to, string reason) =>
        Assert.Equal(new AutomaticFailoverDecision(action, to, reason),
            AutomaticFailoverPolicy.Decide(active, [.. datacenters.Split(' ').Select(Datacenter)], spentOn, personSwitched));

    private static DatacenterView Datacenter(string spec)
    {
        var parts = spec.Split(':');
        var up = int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture);
        return new DatacenterView(parts[0], Active: false, parts[1], Down: parts[2] == "d", Reason: parts[2] == "d" ? "lost" : "fine", [], null, null, null, null,
            [.. Enumerable.Range(0, up).Select(i => new EdgeView($"edge{i}", "up", ""))]);
    }
}
