using System.Globalization;
using System.Text.Json;
using CdnPlatform.Cluster.Transport;

namespace CdnPlatform.Cluster.Purging;

/// <summary>
/// Encodes and decodes a sample purge, announcement and acknowledgement once, so a node's first real purge
/// does not pay for compiling the wire format's code (a node calls it at start-up, before it takes purges).
/// </summary>
public static class PurgeCodecWarmup
{
    public static void Run(PurgeMessage sample, string edge, DateTimeOffset now)
    {
        var entry = JsonSerializer.Serialize(sample with { Sequence = 0 }, ClusterJsonContext.Default.PurgeMessage);
        _ = RedisPurgeBus.ParseAnnouncement(string.Create(CultureInfo.InvariantCulture, $"1 {entry}"));
        var ack = JsonSerializer.SerializeToUtf8Bytes(new PurgeAck(sample.Id, edge, now), ClusterJsonContext.Default.PurgeAck);
        _ = JsonSerializer.Deserialize(ack, ClusterJsonContext.Default.PurgeAck);
    }
}
