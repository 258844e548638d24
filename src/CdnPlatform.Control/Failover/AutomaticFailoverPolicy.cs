using CdnPlatform.Control.Api;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// When the control plane fails over by itself (<c>Control:Failover:Automatic</c>): the active datacenter's verdict is
/// down and another datacenter is up, and the policy has not acted on this loss already. It acts once: afterwards it
/// waits until a person switches or the datacenter it left is up again, so it never flips back and forth, and it never
/// fails back (the datacenter it moved to is left only if that one goes down in turn). Pure.
/// </summary>
public static class AutomaticFailoverPolicy
{
    /// <param name="active">The datacenter visitors are sent to.</param>
    /// <param name="datacenters">The last round's health, verdicts included.</param>
    /// <param name="spentOn">The datacenter the policy last acted on (failed over from, or tried to); null when armed.</param>
    /// <param name="personSwitched">Whether someone else ran a switchover or failover since the policy acted.</param>
    public static AutomaticFailoverDecision Decide(string active, IReadOnlyList<DatacenterView> datacenters, string? spentOn, bool personSwitched)
    {
        if (spentOn is not null)
        {
            var left = datacenters.FirstOrDefault(d => d.Name == spentOn);
            if (personSwitched)
            {
                return new(AutomaticFailoverAction.Rearm, null, "a person switched datacenters since the automatic failover");
            }
            return left is { Down: false, ControlView: "up" }
                ? new(AutomaticFailoverAction.Rearm, null, $"{spentOn} is up again")
                : new(AutomaticFailoverAction.Wait, null, $"already acted on the loss of {spentOn}: waiting for a person or its recovery");
        }
        if (datacenters.FirstOrDefault(d => d.Name == active) is not { Down: true } lost)
        {
            return new(AutomaticFailoverAction.Wait, null, $"{active} is not down");
        }
        // The healthiest other datacenter: up for the control plane, and seen up by the most edges; then the configured order.
        var target = datacenters
            .Where(d => d.Name != active && d is { Down: false, ControlView: "up" })
            .OrderByDescending(d => d.Edges.Count(e => e.View == "up"))
            .FirstOrDefault();
        return target is null
            ? new(AutomaticFailoverAction.Wait, null, $"{active} is down ({lost.Reason}), but no other datacenter is up")
            : new(AutomaticFailoverAction.FailOver, target.Name, $"{active} is down: {lost.Reason}; {target.Name} is up");
    }
}
