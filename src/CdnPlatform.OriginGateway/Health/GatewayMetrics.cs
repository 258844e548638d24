using System.Diagnostics.Metrics;

namespace CdnPlatform.OriginGateway.Health;

/// <summary>
/// The gateway's instruments (meter <c>CdnPlatform.Gateway</c>), read from YARP's live state at scrape time, per
/// node: <c>cdn_gateway_node_healthy</c>, <c>cdn_gateway_node_available</c>, <c>cdn_gateway_node_drained</c> (1 or 0)
/// and <c>cdn_gateway_node_in_flight_requests</c>. Requests and their durations are ASP.NET Core's own
/// (<c>http_server_request_duration_seconds</c>).
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "CdnPlatform.Gateway";

    public GatewayMetrics(IMeterFactory meters, GatewayStatusReader reader)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("cdn.gateway.node.healthy", () => PerNode(reader, n => n.Healthy ? 1 : 0),
            unit: "1", description: "1 while neither health check says the node is unhealthy.");
        meter.CreateObservableGauge("cdn.gateway.node.available", () => PerNode(reader, n => n.Available ? 1 : 0),
            unit: "1", description: "1 while new requests may go to the node.");
        meter.CreateObservableGauge("cdn.gateway.node.drained", () => PerNode(reader, n => n.Drained ? 1 : 0),
            unit: "1", description: "1 while the node is drained.");
        meter.CreateObservableGauge("cdn.gateway.node.in_flight_requests", () => PerNode(reader, n => n.InFlight),
            unit: "{request}", description: "Requests the gateway is forwarding to the node right now.");
    }

    private static IEnumerable<Measurement<int>> PerNode(GatewayStatusReader reader, Func<NodeStatus, int> value)
    {
        var status = reader.Read();
        return status.Nodes.Select(n => new Measurement<int>(value(n),
            new KeyValuePair<string, object?>("datacenter", status.Datacenter), new KeyValuePair<string, object?>("node", n.Id)));
    }
}
