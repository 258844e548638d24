using System.Text.Json.Serialization;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Cluster.Purging;

namespace CdnPlatform.Cluster.Transport;

/// <summary>Wire format of bus messages: camelCase JSON, source-generated so nodes need no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PurgeMessage))]
[JsonSerializable(typeof(PurgeAck))]
[JsonSerializable(typeof(DnsChange))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
