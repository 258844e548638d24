using System.Globalization;
using CdnPlatform.Control.SiteDns;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// A control plane serving <c>shop.test</c> on a free loopback port, with test nodes as its edges (each on its own
/// loopback address, as <c>www.</c> publishes addresses) and the regions given.
/// </summary>
internal sealed class SiteDnsControlPlane : IAsyncDisposable
{
    public const string ApiKey = "dns-test-key-0123456789";

    private SiteDnsControlPlane(WebApplication app, int dnsPort, IReadOnlyList<TestNode> edges)
    {
        App = app;
        DnsPort = dnsPort;
        Edges = edges;
    }

    public WebApplication App { get; }

    public int DnsPort { get; }

    public IReadOnlyList<TestNode> Edges { get; }

    public SiteDnsService Dns => App.Services.GetRequiredService<SiteDnsService>();

    public PopHealthMonitor Monitor => App.Services.GetRequiredService<PopHealthMonitor>();

    /// <summary>The address of the edge named <paramref name="pop"/>, as <c>www.</c> answers it.</summary>
    public string AddressOf(string pop) => Edges.Single(e => e.Name == pop).Host.Address.Host;

    /// <param name="pops">The edges' names; each gets a test node on 127.0.31.N.</param>
    /// <param name="settings">More settings, e.g. regions, as <c>--key value</c> pairs.</param>
    public static async Task<SiteDnsControlPlane> StartAsync(string[] pops, string[] settings, TimeProvider? time = null)
    {
        var edges = new List<TestNode>();
        for (var i = 0; i < pops.Length; i++)
        {
            edges.Add(await TestNode.StartAsync(pops[i], url: $"http://127.0.31.{i + 1}:0"));
        }
        var dnsPort = FreePort.OnLoopback();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:ApiKey", ApiKey,
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test", "--Control:Sites:0:Zone", "shop.test",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.1:8080",
            "--Control:Datacenters:0:Nodes:0", "primary-1", "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Dns:Port", dnsPort.ToString(CultureInfo.InvariantCulture),
            .. edges.SelectMany((edge, i) => new[] { $"--Control:Edges:{i}:Name", edge.Name, $"--Control:Edges:{i}:Url", edge.Host.Address.ToString() }),
            .. settings,
        ];
        var app = ControlHost.Build(args, time is null ? null : services => services.AddSingleton(time));
        await app.StartAsync();
        return new SiteDnsControlPlane(app, dnsPort, edges);
    }

    /// <summary><c>www.shop.test A</c> asked with dig, plus <paramref name="options"/> (e.g. <c>+subnet=…</c>).</summary>
    public Task<Dig> AskWwwAsync(params string[] options) => Dig.AskAsync(DnsPort, [.. options, "www.shop.test", "A"]);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var edge in Edges)
        {
            await edge.DisposeAsync();
        }
    }
}
