using CdnPlatform.Control.Api;
using CdnPlatform.Control.Nodes;

namespace CdnPlatform.Cli.Deploy;

/// <summary>The two decisions of a rolling deploy: whether a node may go out now, and whether it is back.</summary>
public static class DeployGate
{
    /// <summary>
    /// Why <paramref name="target"/> must not be drained now, or null when it may: every other node of the
    /// datacenter is in service at every gateway (so one node out at a time, never two), and every gateway
    /// answers (one that does not would keep the target from ever being idle).
    /// </summary>
    public static string? WhyNotTakeOut(string target, IReadOnlyList<NodeView> datacenter)
    {
        foreach (var node in datacenter)
        {
            if (node.Gateways.FirstOrDefault(g => !g.Reachable) is { } silent)
            {
                return $"gateway {silent.Gateway} does not answer for {node.Node} ({silent.Error})";
            }
            if (node.Node == target)
            {
                continue;
            }
            if (node.State != DrainState.Active)
            {
                return $"{node.Node} is {node.State}: undrain it first, a rolling deploy takes one node out at a time";
            }
            if (node.Gateways.FirstOrDefault(g => !g.Healthy) is { } sick)
            {
                return $"{node.Node} is not healthy at gateway {sick.Gateway}: taking {target} out as well would leave the datacenter short";
            }
        }
        return null;
    }

    /// <summary>
    /// Whether every gateway has probed <paramref name="node"/> healthy since its restart. A gateway's health
    /// can be left over from before the restart (a quick restart fails no probe), so each must have completed two
    /// probes more than in <paramref name="sinceRestart"/> (its first answer after the restart; probes run one
    /// after another, so the second began after it), or have restarted itself since (another instance).
    /// </summary>
    public static bool IsBackInService(NodeView node, IReadOnlyDictionary<string, GatewayNodeView> sinceRestart)
    {
        foreach (var gateway in node.Gateways)
        {
            if (!gateway.Reachable || !gateway.Healthy || gateway.LastProbe != "ok"
                || !sinceRestart.TryGetValue(gateway.Gateway, out var first)
                || (gateway.Instance == first.Instance && gateway.Probes < first.Probes + 2))
            {
                return false;
            }
        }
        return true;
    }
}
