using System.Net;
using System.Net.Sockets;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Failover;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Dns.Steering;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Control.SiteDns;

/// <summary>
/// Serves the sites' zones (<c>Control:Dns</c>, <c>Control:Sites:N:Zone</c>) from the control plane, which knows
/// the topology: <c>origin.</c> is the active datacenter's gateways, <c>standby.</c> the others' (the edges'
/// failover origin), <c>www.</c> the healthy edges nearest the client by <c>Control:Dns:Regions</c>
/// (<see cref="PopSteering"/>), health as <see cref="PopHealthMonitor"/> sees it.
/// At start <c>origin.</c> points where the last switch left it (<see cref="IFailoverStateStore"/>), else at the configured datacenter.
/// </summary>
public sealed class SiteDnsService(ControlOptions options, IFailoverStateStore failoverState, TimeProvider timeProvider, ILogger<SiteDnsService> logger,
    Observability.DnsQueryMetrics? queries = null)
    : IHostedService, IDisposable
{
    private readonly Lock _changes = new();
    private readonly IReadOnlyList<PopRegion> _regions =
        [.. options.Dns.Regions.Select((r, i) => new PopRegion(r.DisplayName(i), r.Networks(), r.Pops))];
    private AuthoritativeDnsServer? _server;
    private uint _serial;
    private IReadOnlySet<string> _healthy = options.Edges.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The datacenter <c>origin.</c> points at; null while DNS is off.</summary>
    public string? ActiveDatacenter { get; private set; }

    /// <summary>The zones being served; empty while DNS is off.</summary>
    public ZoneCatalog Catalog { get; } = new([]);

    /// <summary>The edges <c>www.</c> may answer with, by name: every edge until <see cref="SetHealthyPops"/> says otherwise.</summary>
    public IReadOnlySet<string> HealthyPops => _healthy;

    /// <summary>The last set of zones published; null while DNS is off.</summary>
    public ZonesPublished? Current { get; private set; }

    /// <summary>
    /// Raised after every change is swapped in (not for the start-up zones: read <see cref="Current"/>), on the
    /// changing thread and under the change lock, so handlers see changes one at a time and in order; they must
    /// only hand the change on (queue a push, an announcement), never block.
    /// </summary>
    public event Action<ZonesPublished>? Published;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dns = options.Dns;
        if (dns.Port == 0)
        {
            return;
        }

        var saved = (await DatacenterSwitch.LoadSavedAsync(failoverState, logger, cancellationToken))?.Active;
        Publish(options.Datacenters.Any(d => d.Name == saved) ? saved! : dns.ActiveDatacenter.Length > 0 ? dns.ActiveDatacenter : options.Datacenters[0].Name);
        var nameServer = IPAddress.Parse(dns.Address);
        var endpoint = new IPEndPoint(nameServer, dns.Port);
        try
        {
            _server = new AuthoritativeDnsServer(endpoint, new AuthoritativeAnswerer(Catalog), logger) { Answered = queries is null ? null : queries.Answered };
            _server.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Control:Dns: cannot listen on {endpoint} (UDP and TCP): {e.Message}", e);
        }
        logger.LogInformation("DNS for {Zones} on {Endpoint}, origin. → {Datacenter}",
            string.Join(", ", Catalog.Zones.Select(z => z.Origin)), endpoint, ActiveDatacenter);
    }

    /// <summary>
    /// Points every site's <c>origin.</c> at <paramref name="datacenter"/>'s gateways and <c>standby.</c> at the
    /// others': the zones are rebuilt with a higher serial and swapped in whole, so the next query already gets the
    /// new addresses. Returns the datacenter it pointed at before. The caller has checked that DNS is on and the datacenter exists.
    /// </summary>
    public string? SetActiveDatacenter(string datacenter)
    {
        lock (_changes)
        {
            var before = ActiveDatacenter;
            Publish(datacenter);
            Published?.Invoke(Current!);
            return before;
        }
    }

    /// <summary>
    /// Republishes every zone with <c>www.</c> over the edges in <paramref name="healthy"/> (by name), with a higher
    /// serial, and raises <see cref="Published"/>. Returns what was published; null while DNS is off, when the set
    /// is only kept for the first publish.
    /// </summary>
    public ZonesPublished? SetHealthyPops(IReadOnlySet<string> healthy)
    {
        lock (_changes)
        {
            _healthy = healthy;
            if (ActiveDatacenter is not { } active)
            {
                return null;
            }
            Publish(active);
            Published?.Invoke(Current!);
            return Current;
        }
    }

    private void Publish(string datacenter)
    {
        var active = options.Datacenters.Single(d => d.Name == datacenter);
        var nameServer = IPAddress.Parse(options.Dns.Address);
        // A serial that grows with every change (RFC 1982): the clock's seconds, or one more than the last.
        var serial = Math.Max((uint)timeProvider.GetUtcNow().ToUnixTimeSeconds(), _serial + 1);
        _serial = serial;
        var pops = options.Edges.Select(e => new Pop(e.Name, HostAddress(e.Url), _healthy.Contains(e.Name))).ToList();
        var zones = new List<DnsZone>();
        IReadOnlyList<IPAddress> standby = [.. options.Datacenters.Where(d => d.Name != active.Name).SelectMany(d => d.Gateways).Select(HostAddress)];
        foreach (var site in options.Sites.Where(s => s.Zone is not null))
        {
            var zone = SiteZone.Build(site.Zone!, [.. active.Gateways.Select(HostAddress)], pops, _regions, nameServer, serial, site.OriginTtlSeconds,
                standby);
            Catalog.Put(zone);
            zones.Add(zone);
        }
        ActiveDatacenter = active.Name;
        Current = new ZonesPublished(zones, active.Name, serial);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }

    // Validated at start-up: every gateway and edge URL names an IP address.
    private static IPAddress HostAddress(string url) => IPAddress.Parse(new Uri(url).Host.Trim('[', ']'));
}
