using System.Diagnostics.Metrics;
using CdnPlatform.Control.Failover;
using CdnPlatform.Control.SiteDns;

namespace CdnPlatform.Control.Observability;

/// <summary>
/// The state ops fail over by, read at scrape time: <c>cdn_control_datacenter_active</c> and
/// <c>cdn_control_datacenter_down</c> (1 or 0 per datacenter, the verdict failover acts on), and
/// <c>cdn_control_pop_up</c> (1 or 0 per POP, as DNS answers <c>www.</c> by it).
/// </summary>
public sealed class DatacenterMetrics
{
    public DatacenterMetrics(IMeterFactory meters, DatacenterMonitor datacenters, DatacenterSwitch switcher, PopHealthMonitor pops)
    {
        var meter = meters.Create(ControlMeter.Name);
        meter.CreateObservableGauge("cdn.control.datacenter.active", () => datacenters.Snapshot.Datacenters.Select(d =>
            new Measurement<int>(d.Name == switcher.Active ? 1 : 0, new KeyValuePair<string, object?>("datacenter", d.Name))),
            unit: "1", description: "1 for the datacenter origin. names now.");
        meter.CreateObservableGauge("cdn.control.datacenter.down", () => datacenters.Snapshot.Datacenters.Select(d =>
            new Measurement<int>(d.Down ? 1 : 0, new KeyValuePair<string, object?>("datacenter", d.Name))),
            unit: "1", description: "1 while the control plane's verdict (its probes and the edges' views) is that the datacenter is down.");
        meter.CreateObservableGauge("cdn.control.pop.up", () => pops.Pops.Select(p =>
            new Measurement<int>(p.Health.Up ? 1 : 0, new KeyValuePair<string, object?>("pop", p.Name))),
            unit: "1", description: "1 while the POP's edge answers its health probes.");
    }
}
