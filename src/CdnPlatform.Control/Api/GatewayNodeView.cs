namespace CdnPlatform.Control.Api;

/// <summary>One gateway's view of one node, from its <c>/gateway/status</c>.</summary>
/// <param name="Gateway">The gateway's base URL (<c>Control:Datacenters:N:Gateways</c>).</param>
/// <param name="Reachable">The gateway answered, for this node; when false, <paramref name="Error"/> says why and the rest is unknown.</param>
/// <param name="Drained">The gateway has the node drained.</param>
/// <param name="InFlight">Requests the gateway is forwarding to the node right now.</param>
/// <param name="Healthy">Neither of the gateway's health checks says the node is unhealthy.</param>
/// <param name="Available">The gateway would send the node a new request now.</param>
/// <param name="Probes">Health probes of the node the gateway completed since it started.</param>
/// <param name="LastProbe"><c>ok</c>, <c>not ready</c> (the node answered 503), <c>failed</c>, or null before the first.</param>
/// <param name="Instance">Changes when the gateway restarts (and its probe count starts again).</param>
public sealed record GatewayNodeView(
    string Gateway,
    bool Reachable,
    string? Error,
    bool Drained,
    int InFlight,
    bool Healthy,
    bool Available,
    long Probes,
    string? LastProbe,
    string? Instance)
{
    public static GatewayNodeView Unreachable(string gateway, string error) => new(gateway, false, error, false, 0, false, false, 0, null, null);
}
