using CdnPlatform.Control.Api;
using CdnPlatform.Control.Nodes;

namespace CdnPlatform.Cli.Deploy;

/// <summary>
/// <c>cdnctl deploy</c>: every node of a datacenter in turn is drained, waited for until idle, restarted, waited
/// for until every gateway has probed it healthy, and undrained, so that visitors never meet a node that is
/// going down or not yet up. It stops at the first node that fails: left drained when the failure came after
/// its restart began (the node may be down), put back when it only would not go idle.
/// </summary>
public sealed class RollingDeploy(NodeApi api, IRestartStep restart, TimeSpan stepTimeout, TimeProvider time, Action<DeployEvent> report)
{
    // How often the node is read while waiting for the gateways to probe it healthy.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>True when every node was restarted and is back in service.</summary>
    public async Task<bool> RunAsync(string datacenter, CancellationToken cancellationToken)
    {
        var nodes = (await api.ListAsync(null, cancellationToken)).Nodes.Where(n => n.Datacenter == datacenter).Select(n => n.Node).ToList();
        if (nodes.Count == 0)
        {
            report(new DeployEvent("-", DeployStage.Failed, $"the control plane knows no datacenter '{datacenter}' (Control:Datacenters)"));
            return false;
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!await DeployAsync(datacenter, nodes[i], i + 1, cancellationToken))
            {
                return false;
            }
        }
        return true;
    }

    private async Task<bool> DeployAsync(string datacenter, string node, int index, CancellationToken cancellationToken)
    {
        var all = (await api.ListAsync(null, cancellationToken)).Nodes.Where(n => n.Datacenter == datacenter).ToList();
        if (DeployGate.WhyNotTakeOut(node, all) is { } reason)
        {
            return Fail(node, $"not drained: {reason}");
        }

        report(new DeployEvent(node, DeployStage.Draining, $"{node}: draining"));
        var drained = await UntilAsync(
            ct => api.DrainAsync(datacenter, node, NodeApi.LongestWait, ct), n => n.State == DrainState.Idle, cancellationToken);
        if (drained.State != DrainState.Idle)
        {
            // Nothing happened to the node yet: it goes back into rotation rather than idling out of it.
            await api.UndrainAsync(datacenter, node, cancellationToken);
            return Fail(node, $"still {drained.State} after {stepTimeout.TotalSeconds:0} s ({drained.InFlight} requests in flight); undrained it again");
        }
        report(new DeployEvent(node, DeployStage.Idle, $"{node}: idle"));

        report(new DeployEvent(node, DeployStage.Restarting, $"{node}: restarting"));
        string? failure;
        try
        {
            failure = await restart.RestartAsync(datacenter, node, index, cancellationToken).WaitAsync(stepTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            failure = $"the restart took longer than {stepTimeout.TotalSeconds:0} s";
        }
        if (failure is not null)
        {
            return Fail(node, $"restart failed: {failure}. It stays drained; once it is fixed: cdnctl node undrain --dc {datacenter} --node {node}");
        }

        report(new DeployEvent(node, DeployStage.Restarted, $"{node}: restarted; waiting until every gateway has probed it healthy"));
        var sinceRestart = new Dictionary<string, GatewayNodeView>(StringComparer.Ordinal);
        var back = await UntilAsync(async ct =>
        {
            var observed = await api.GetAsync(datacenter, node, null, ct);
            foreach (var gateway in observed.Gateways.Where(g => g.Reachable))
            {
                sinceRestart.TryAdd(gateway.Gateway, gateway);
            }
            return observed;
        }, n => DeployGate.IsBackInService(n, sinceRestart), cancellationToken, PollInterval);
        if (!DeployGate.IsBackInService(back, sinceRestart))
        {
            return Fail(node, $"not healthy at every gateway {stepTimeout.TotalSeconds:0} s after its restart ({Describe(back)}). It stays drained; once it is fixed: cdnctl node undrain --dc {datacenter} --node {node}");
        }

        report(new DeployEvent(node, DeployStage.Undraining, $"{node}: healthy at every gateway; undraining"));
        var undrained = await api.UndrainAsync(datacenter, node, cancellationToken);
        if (!undrained.Gateways.All(g => g.Available))
        {
            // A gateway that missed the undrain has it within the control plane's next re-assertion.
            undrained = await UntilAsync(ct => api.GetAsync(datacenter, node, null, ct), n => n.Gateways.All(g => g.Available), cancellationToken, PollInterval);
        }
        if (!undrained.Gateways.All(g => g.Available))
        {
            return Fail(node, $"undrained, but not taking requests at every gateway after {stepTimeout.TotalSeconds:0} s ({Describe(undrained)})");
        }
        report(new DeployEvent(node, DeployStage.InService, $"{node}: back in service"));
        return true;
    }

    /// <summary>Observes until <paramref name="done"/> holds or the step's time is up; the last observation.</summary>
    private async Task<NodeView> UntilAsync(Func<CancellationToken, Task<NodeView>> observe, Func<NodeView, bool> done,
        CancellationToken cancellationToken, TimeSpan? pause = null)
    {
        var deadline = time.GetTimestamp() + (long)(stepTimeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var observed = await observe(cancellationToken);
            if (done(observed) || time.GetTimestamp() >= deadline)
            {
                return observed;
            }
            if (pause is { } interval)
            {
                await Task.Delay(interval, time, cancellationToken);
            }
        }
    }

    private static string Describe(NodeView node) => string.Join("; ", node.Gateways.Select(g => g.Reachable
        ? $"{g.Gateway}: {(g.Healthy ? "healthy" : "unhealthy")}, last probe {g.LastProbe ?? "none"}, {(g.Available ? "available" : "not available")}"
        : $"{g.Gateway}: {g.Error}"));

    private bool Fail(string node, string message)
    {
        report(new DeployEvent(node, DeployStage.Failed, $"{node}: {message}"));
        return false;
    }
}
