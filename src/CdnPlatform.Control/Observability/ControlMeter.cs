namespace CdnPlatform.Control.Observability;

/// <summary>
/// The control plane's meter, <c>CdnPlatform.Control</c>: its instruments are made by several small classes
/// (<see cref="PurgeMetrics"/>, <see cref="DnsQueryMetrics"/>, <see cref="DatacenterMetrics"/>), each next to what it
/// measures; the host's meter factory gives them one meter.
/// </summary>
public static class ControlMeter
{
    public const string Name = "CdnPlatform.Control";
}
