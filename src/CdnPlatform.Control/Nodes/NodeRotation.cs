using System.Collections.Concurrent;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Nodes;

/// <summary>
/// Takes origin nodes out of their gateways' rotation and puts them back: records the drain in the
/// <see cref="DrainSet"/>, tells every gateway of the datacenter, and reads back what they report.
/// </summary>
public sealed class NodeRotation(ControlOptions options, DrainSet drains, GatewayClient gateways, TimeProvider time)
{
    // How often a long poll asks the gateways again.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // One push at a time per gateway, each carrying the set as it is when sent: two pushes overtaking each
    // other could leave a gateway with the older set.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _pushing = new(StringComparer.Ordinal);

    // Each gateway's last answer, from a push or a read, and when it came (a TimeProvider timestamp).
    private readonly ConcurrentDictionary<string, (GatewayReport Report, long At)> _last = new(StringComparer.Ordinal);

    public IReadOnlyList<ControlDatacenterOptions> Datacenters => options.Datacenters;

    public ControlDatacenterOptions? Datacenter(string name) => options.Datacenters.FirstOrDefault(d => d.Name == name);

    public async Task<NodeView> DrainAsync(ControlDatacenterOptions datacenter, string node, CancellationToken cancellationToken)
    {
        drains.Add(datacenter.Name, node);
        return View(datacenter, node, await PushAsync(datacenter, cancellationToken));
    }

    public async Task<NodeView> UndrainAsync(ControlDatacenterOptions datacenter, string node, CancellationToken cancellationToken)
    {
        drains.Remove(datacenter.Name, node);
        return View(datacenter, node, await PushAsync(datacenter, cancellationToken));
    }

    public async Task<NodeView> ObserveAsync(ControlDatacenterOptions datacenter, string node, CancellationToken cancellationToken) =>
        View(datacenter, node, await ReadAsync(datacenter, cancellationToken));

    public async Task<IReadOnlyList<NodeView>> ObserveAllAsync(CancellationToken cancellationToken)
    {
        var views = await Task.WhenAll(options.Datacenters.Select(async datacenter =>
        {
            var reports = await ReadAsync(datacenter, cancellationToken);
            return datacenter.Nodes.Select(node => View(datacenter, node, reports));
        }));
        return views.SelectMany(v => v).ToList();
    }

    /// <summary>
    /// Observes until <paramref name="settled"/> holds for the answer or <paramref name="wait"/> is over (a long
    /// poll), and returns the last observation.
    /// </summary>
    public async Task<T> WaitAsync<T>(Func<CancellationToken, Task<T>> observe, Func<T, bool> settled, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var observed = await observe(cancellationToken);
            if (settled(observed) || time.GetTimestamp() >= deadline)
            {
                return observed;
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Tells every gateway of <paramref name="datacenter"/> its drained nodes; what each answered.</summary>
    public async Task<IReadOnlyList<GatewayReport>> PushAsync(ControlDatacenterOptions datacenter, CancellationToken cancellationToken) =>
        await Task.WhenAll(datacenter.Gateways.Select(async gateway =>
        {
            var turn = _pushing.GetOrAdd(gateway, _ => new SemaphoreSlim(1));
            await turn.WaitAsync(cancellationToken);
            try
            {
                return Remember(await gateways.PutDrainsAsync(datacenter.Name, gateway, drains.Of(datacenter.Name), cancellationToken));
            }
            finally
            {
                turn.Release();
            }
        }));

    // Every gateway asked now, but one whose last push or read failed a moment ago: its failure stands until the next
    // push (every Control:DrainReassertSeconds, always sent) says otherwise. A gateway that stalls (a paused or cut-off
    // datacenter) answers nothing until the client's 2 s timeout, and every read of the node list, which the dashboard
    // makes every 2 s, waited that long for it. Gateways that answer are still read live: drains and deploys decide on
    // what they say now. A gateway that does not answer keeps its nodes "draining" either way.
    private async Task<IReadOnlyList<GatewayReport>> ReadAsync(ControlDatacenterOptions datacenter, CancellationToken cancellationToken) =>
        await Task.WhenAll(datacenter.Gateways.Select(async gateway => RecentFailure(gateway)
            ?? Remember(await gateways.ReadAsync(datacenter.Name, gateway, cancellationToken))));

    private GatewayReport Remember(GatewayReport report)
    {
        _last[report.Gateway] = (report, time.GetTimestamp());
        return report;
    }

    // Younger than three re-assertion rounds and the client's timeout: the pushes refresh it before then while the
    // gateway stays silent, and replace it with its answer within a round once it answers again.
    private GatewayReport? RecentFailure(string gateway) =>
        _last.TryGetValue(gateway, out var last) && last.Report.Error is not null
            && time.GetElapsedTime(last.At) < TimeSpan.FromSeconds(3 * options.DrainReassertSeconds + 2)
            ? last.Report
            : null;

    private NodeView View(ControlDatacenterOptions datacenter, string node, IReadOnlyList<GatewayReport> reports)
    {
        var views = reports.Select(report => report.For(node)).ToList();
        return new NodeView(datacenter.Name, node, DrainState.Decide(drains.Contains(datacenter.Name, node), views), views.Sum(v => v.InFlight), views);
    }
}
