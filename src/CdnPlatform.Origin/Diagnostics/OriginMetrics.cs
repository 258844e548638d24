using System.Diagnostics.Metrics;
using CdnPlatform.Origin.Storage;

namespace CdnPlatform.Origin.Diagnostics;

/// <summary>
/// The node's own instruments (meter <c>CdnPlatform.Origin</c>), beside ASP.NET Core's request counts. With Redis:
/// <c>cdn_origin_storage_silence_seconds</c>, how long the oldest ping to the datacenter's Redis has gone unanswered
/// (0 while they are answered), the figure behind a "not ready" <c>/healthz</c>: ops see a stall build up before the
/// node leaves rotation, and every node of a datacenter rising together points at its Redis, not at one node.
/// </summary>
public sealed class OriginMetrics
{
    public const string MeterName = "CdnPlatform.Origin";

    public OriginMetrics(IMeterFactory meters, OriginOptions options, StorageWatch? storage = null)
    {
        if (storage is null)
        {
            return;
        }
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("cdn.origin.storage.silence", () => new Measurement<double>(storage.Silence.TotalSeconds,
                new KeyValuePair<string, object?>("datacenter", options.Datacenter), new KeyValuePair<string, object?>("node", options.Node)),
            unit: "s", description: "How long the oldest ping to the datacenter's Redis has gone unanswered; 0 while answered.");
    }
}
