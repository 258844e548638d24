using CdnPlatform.Control.Api;

namespace CdnPlatform.Control.Nodes;

/// <summary>Where a node stands in a drain, as <c>/v1/nodes</c> answers it.</summary>
public static class DrainState
{
    /// <summary>Not drained: the gateways send it requests.</summary>
    public const string Active = "active";

    /// <summary>Drained, but some gateway still forwards requests to it, or has not confirmed the drain.</summary>
    public const string Draining = "draining";

    /// <summary>Every gateway of its datacenter has it drained and nothing in flight to it: it can be restarted.</summary>
    public const string Idle = "idle";

    /// <summary>
    /// The node's state from what each gateway of its datacenter reports. A gateway that does not answer
    /// keeps the node draining: it may be cut off from the control plane and still be forwarding to it.
    /// </summary>
    public static string Decide(bool drained, IReadOnlyList<GatewayNodeView> gateways)
    {
        if (!drained)
        {
            return Active;
        }
        foreach (var gateway in gateways)
        {
            if (!gateway.Reachable || !gateway.Drained || gateway.InFlight > 0)
            {
                return Draining;
            }
        }
        return Idle;
    }
}
