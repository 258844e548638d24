using System.Net;
using System.Net.Sockets;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Control.SiteDns;

/// <summary>
/// Serves the sites' zones (<c>Control:Dns</c>, <c>Control:Sites:N:Zone</c>) from the control plane, which knows
/// the topology: <c>origin.</c> is the active datacenter's gateways, <c>www.</c> every edge.
/// </summary>
public sealed class SiteDnsService(ControlOptions options, TimeProvider timeProvider, ILogger<SiteDnsService> logger) : IHostedService, IDisposable
{
    private AuthoritativeDnsServer? _server;

    /// <summary>The datacenter <c>origin.</c> points at; null while DNS is off.</summary>
    public string? ActiveDatacenter { get; private set; }

    /// <summary>The zones being served; empty while DNS is off.</summary>
    public ZoneCatalog Catalog { get; } = new([]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var dns = options.Dns;
        if (dns.Port == 0)
        {
            return Task.CompletedTask;
        }

        var active = dns.ActiveDatacenter.Length > 0 ? options.Datacenters.Single(d => d.Name == dns.ActiveDatacenter) : options.Datacenters[0];
        ActiveDatacenter = active.Name;
        var nameServer = IPAddress.Parse(dns.Address);
        // A serial that grows with every start (and, later, every change), as secondaries expect (RFC 1982).
        var serial = (uint)timeProvider.GetUtcNow().ToUnixTimeSeconds();
        foreach (var site in options.Sites.Where(s => s.Zone is not null))
        {
            Catalog.Put(SiteZone.Build(site.Zone!, [.. active.Gateways.Select(HostAddress)], [.. options.Edges.Select(e => HostAddress(e.Url))],
                nameServer, serial, site.OriginTtlSeconds));
        }

        var endpoint = new IPEndPoint(nameServer, dns.Port);
        try
        {
            _server = new AuthoritativeDnsServer(endpoint, new AuthoritativeAnswerer(Catalog), logger);
            _server.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Control:Dns: cannot listen on {endpoint} (UDP and TCP): {e.Message}", e);
        }
        logger.LogInformation("DNS for {Zones} on {Endpoint}, origin. → {Datacenter}",
            string.Join(", ", Catalog.Zones.Select(z => z.Origin)), endpoint, active.Name);
        return Task.CompletedTask;
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
