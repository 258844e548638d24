using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CdnPlatform.Cluster.Naming;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Dns.Zones;
using CdnPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A gateway in each of two datacenters, on 127.0.31.1 and 127.0.31.2 with the same port, and the authoritative
/// DNS for <c>shop.test</c> (the control plane's server code) on a free loopback port, whose
/// <c>origin.shop.test</c> points at one of them and <c>standby.shop.test</c> at the other; and the bus the control
/// plane signals DNS changes on.
/// </summary>
public sealed class TwoDatacenters : IAsyncDisposable
{
    public const string OriginName = "origin.shop.test";
    public const string StandbyName = "standby.shop.test";
    public const int OriginTtl = 5;

    public static readonly IPAddress AddressA = IPAddress.Parse("127.0.31.1");
    public static readonly IPAddress AddressB = IPAddress.Parse("127.0.31.2");

    private readonly ZoneCatalog _catalog = new([]);
    private AuthoritativeDnsServer? _dns;
    private uint _serial = 2026120300;

    private TwoDatacenters(TestNode a, TestNode b, int port)
    {
        A = a;
        B = b;
        Port = port;
        DnsPort = FreePort.OnLoopback();
    }

    public TestNode A { get; }
    public TestNode B { get; }

    /// <summary>The gateways' port: DNS gives addresses, the origin URL gives the port.</summary>
    public int Port { get; }

    public int DnsPort { get; }

    /// <summary>The zone's SOA serial, raised by every <see cref="PointOriginAt"/>.</summary>
    public uint Serial => _serial;

    public string Resolver => $"127.0.0.1:{DnsPort.ToString(CultureInfo.InvariantCulture)}";

    public InMemoryDnsChangeBus Bus { get; } = new();

    public string OriginUrl => $"http://{OriginName}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The failover origin of an origin group: the datacenter <c>origin.</c> does not point at.</summary>
    public string StandbyUrl => $"http://{StandbyName}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Both gateways, and <c>origin.shop.test</c> → A; the DNS server listens unless <paramref name="dnsRunning"/> is false.</summary>
    public static async Task<TwoDatacenters> StartAsync(bool dnsRunning = true)
    {
        // B takes the port A got: on another address it is free too.
        var a = await TestNode.StartAsync("gateway-a", holdsRequests: true, url: $"http://{AddressA}:0");
        var port = a.Host.Address.Port;
        var b = await TestNode.StartAsync("gateway-b", url: $"http://{AddressB}:{port}");
        var datacenters = new TwoDatacenters(a, b, port);
        datacenters.PointOriginAt(AddressA);
        if (dnsRunning)
        {
            datacenters.StartDns();
        }
        return datacenters;
    }

    /// <summary>An edge whose site's origin is <see cref="OriginUrl"/>, resolved through <paramref name="resolvers"/> (this DNS by default).</summary>
    public Task<EdgeFixture> StartEdgeAsync(string[]? resolvers = null, params string[] extraArgs) => EdgeFixture.StartWithOriginsAsync(
        ["--Edge:Sites:0:Origin", OriginUrl, .. (resolvers ?? [Resolver]).SelectMany((r, i) => new[] { $"--Edge:Dns:Resolvers:{i}", r })],
        services => services.AddSingleton<IDnsChangeBus>(Bus), extraArgs);

    /// <summary>
    /// Rebuilds the zone with <c>origin.</c> → <paramref name="addresses"/>, <c>standby.</c> → the gateway left out, and a
    /// higher serial, as a change at the control plane does.
    /// </summary>
    public void PointOriginAt(params IPAddress[] addresses) =>
        _catalog.Put(SiteZone.Build("shop.test", addresses, [IPAddress.Parse("127.0.10.1")], IPAddress.Loopback, ++_serial, OriginTtl,
            standbyGateways: [.. new[] { AddressA, AddressB }.Except(addresses)]));

    /// <summary>The control plane's re-resolve signal for the zone.</summary>
    public Task SignalChangeAsync() => Bus.PublishAsync(new DnsChange(["shop.test."], _serial, DateTimeOffset.UtcNow));

    public void StartDns()
    {
        _dns = new AuthoritativeDnsServer(new IPEndPoint(IPAddress.Loopback, DnsPort), new AuthoritativeAnswerer(_catalog), NullLogger.Instance);
        _dns.Start();
    }

    /// <summary>No more answers: queries to the port time out or are refused.</summary>
    public void StopDns()
    {
        _dns?.Dispose();
        _dns = null;
    }

    /// <summary>The edge's view of <paramref name="originName"/> (<c>origin.shop.test</c> by default), from its <c>/healthz</c>.</summary>
    public static async Task<JsonElement> OriginNameAsync(EdgeFixture edge, string originName = OriginName)
    {
        using var response = await edge.GetAsync("/healthz", host: "edge.invalid");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("originNames").EnumerateArray().Single(n => n.GetProperty("name").GetString() == originName);
    }

    /// <summary>Waits until the edge's answer for <c>origin.shop.test</c> is <paramref name="addresses"/> in <paramref name="state"/>.</summary>
    public static Task<JsonElement> UntilResolvedAsync(EdgeFixture edge, string state, params IPAddress[] addresses) =>
        UntilNameResolvedAsync(edge, OriginName, state, addresses);

    /// <summary>Waits until the edge's answer for <paramref name="originName"/> is <paramref name="addresses"/> in <paramref name="state"/>.</summary>
    public static Task<JsonElement> UntilNameResolvedAsync(EdgeFixture edge, string originName, string state, params IPAddress[] addresses) =>
        Eventually.ValueAsync(() => OriginNameAsync(edge, originName),
            name => name.GetProperty("state").GetString() == state
                && name.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()).SequenceEqual(addresses.Select(a => a.ToString())),
            Eventually.Patience, name => $"the edge's answer for {originName} is {name}");

    public async ValueTask DisposeAsync()
    {
        StopDns();
        A.Release();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
