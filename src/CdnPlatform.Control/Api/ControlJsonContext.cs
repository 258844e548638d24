using System.Text.Json;
using System.Text.Json.Serialization;
using CdnPlatform.Control.Audit;

namespace CdnPlatform.Control.Api;

/// <summary>
/// Serialization code for every body the control plane writes, generated at build time: nothing is built by
/// reflection on a request, so a freshly started control plane answers its first purge without first
/// generating serializers for it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(PurgeAccepted))]
[JsonSerializable(typeof(PurgeStatusResponse))]
[JsonSerializable(typeof(NetworkStatus))]
[JsonSerializable(typeof(NodeHealth))]
[JsonSerializable(typeof(DnsStatus))]
[JsonSerializable(typeof(PurgeAuditEntry))]
[JsonSerializable(typeof(DnsAuditEntry))]
[JsonSerializable(typeof(NodeView))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(GatewayDrains))]
[JsonSerializable(typeof(DatacenterList))]
[JsonSerializable(typeof(CdnPlatform.Cluster.Health.EdgeOriginsReport))]
[JsonSerializable(typeof(GatewayWriteMode))]
[JsonSerializable(typeof(DatacenterSwitchReport))]
[JsonSerializable(typeof(SwitchRequest))]
[JsonSerializable(typeof(FailoverAuditEntry))]
[JsonSerializable(typeof(DatacenterPowerState))]
[JsonSerializable(typeof(PopList))]
[JsonSerializable(typeof(PurgeList))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
