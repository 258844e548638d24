using System.Net.Http.Headers;
using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// The control plane's <c>www.</c> over real edges and real probes, asked with dig: the client's region by its
/// client subnet or its source address, and an edge that stops answering leaves the answers within a few probes.
/// </summary>
public sealed class NearestPopTests : IAsyncLifetime
{
    private readonly string _audit = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
    private SiteDnsControlPlane _control = null!;

    public async Task InitializeAsync() => _control = await SiteDnsControlPlane.StartAsync(["ams", "nyc", "sgp"],
    [
        "--Control:AuditLogPath", _audit,
        "--Control:Dns:PopHealth:ProbeSeconds", "1", "--Control:Dns:PopHealth:DownAfter", "2",
        "--Control:Dns:Regions:0:Name", "europe", "--Control:Dns:Regions:0:Prefixes:0", "127.0.0.0/8", "--Control:Dns:Regions:0:Pops:0", "ams",
        "--Control:Dns:Regions:1:Name", "americas", "--Control:Dns:Regions:1:Prefixes:0", "198.51.100.0/24",
        "--Control:Dns:Regions:1:Prefixes:1", "2001:db8:b::/48", "--Control:Dns:Regions:1:Pops:0", "nyc",
    ]);

    public async Task DisposeAsync()
    {
        await _control.DisposeAsync();
        File.Delete(_audit);
    }

    [Fact]
    public async Task Www_IsTheClientsRegionsPop_ByItsSubnetElseItsSource()
    {
        var fromHere = await _control.AskWwwAsync();
        var fromAmerica = await _control.AskWwwAsync("+subnet=198.51.100.0/24");
        var fromAmericaV6 = await _control.AskWwwAsync("+tcp", "+subnet=2001:db8:b::/48");
        var fromNowhere = await _control.AskWwwAsync("+subnet=10.0.0.0/8");

        Assert.Equal([_control.AddressOf("ams")], fromHere.Section("ANSWER").Select(a => a[4]));
        Assert.Null(fromHere.ClientSubnet);
        Assert.Equal([_control.AddressOf("nyc")], fromAmerica.Section("ANSWER").Select(a => a[4]));
        Assert.Equal("198.51.100.0/24/24", fromAmerica.ClientSubnet);
        Assert.Equal([_control.AddressOf("nyc")], fromAmericaV6.Section("ANSWER").Select(a => a[4]));
        Assert.Equal("2001:db8:b::/48/48", fromAmericaV6.ClientSubnet);
        Assert.Equal(3, fromNowhere.Section("ANSWER").Count);
        Assert.Equal("10.0.0.0/8/2", fromNowhere.ClientSubnet);
    }

    [Fact]
    public async Task AnEdgeThatStops_LeavesWww_ItsRegionFallingBackToTheHealthyPops()
    {
        var serialBefore = _control.Dns.Current!.Serial;

        await _control.Edges[1].Host.StopAsync();
        var fromAmerica = await Eventually.ValueAsync(() => _control.AskWwwAsync("+subnet=198.51.100.0/24"),
            dig => dig.Section("ANSWER").Count == 2, Eventually.Patience, dig => $"www. still answers {string.Join(", ", dig.Section("ANSWER").Select(a => a[4]))}");
        var fromNowhere = await _control.AskWwwAsync("+subnet=10.0.0.0/8");
        var fromHere = await _control.AskWwwAsync();

        Assert.Equal([_control.AddressOf("ams"), _control.AddressOf("sgp")], fromAmerica.Section("ANSWER").Select(a => a[4]));
        Assert.Equal("198.51.100.0/24/24", fromAmerica.ClientSubnet);
        Assert.Equal([_control.AddressOf("ams"), _control.AddressOf("sgp")], fromNowhere.Section("ANSWER").Select(a => a[4]));
        Assert.Equal([_control.AddressOf("ams")], fromHere.Section("ANSWER").Select(a => a[4]));
        Assert.True(_control.Dns.Current!.Serial > serialBefore, "a health change raises the serial");

        using var client = new HttpClient { BaseAddress = new Uri(_control.App.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiteDnsControlPlane.ApiKey);
        var status = JsonDocument.Parse(await client.GetStringAsync("/v1/dns")).RootElement;
        var nyc = status.GetProperty("pops").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "nyc");
        Assert.False(nyc.GetProperty("healthy").GetBoolean());
        Assert.StartsWith("HttpRequestException", nyc.GetProperty("lastProbe").GetString());
        Assert.Equal(["europe", "americas"], status.GetProperty("regions").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var audit = File.ReadAllLines(_audit).Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("change").GetString() == "pop-health");
        Assert.Equal(("control-plane", "ams, nyc, sgp", "ams, sgp"),
            (audit.GetProperty("key").GetString(), audit.GetProperty("before").GetString(), audit.GetProperty("after").GetString()));
    }
}
