using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.Control.Tests.SiteDns;

/// <summary>
/// <c>standby.shop.test</c>, the edges' failover origin, asked with dig: the gateways of the datacenter that is
/// not active, with origin.'s TTL, moving the other way when <c>PUT /v1/dns/active</c> flips origin., and listed in /v1/dns.
/// </summary>
public sealed class StandbyNameTests : IAsyncLifetime
{
    private SiteDnsControlPlane _control = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _control = await SiteDnsControlPlane.StartAsync(["ams"],
        [
            "--Control:Datacenters:0:Gateways:1", "http://127.0.21.2:8080",
            "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Gateways:0", "http://127.0.22.1:8080",
            "--Control:Datacenters:1:Gateways:1", "http://127.0.22.2:8080", "--Control:Datacenters:1:Nodes:0", "dr-1",
        ]);
        _client = new HttpClient { BaseAddress = new Uri(_control.App.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiteDnsControlPlane.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _control.DisposeAsync();
    }

    private async Task<(IReadOnlyList<string> Addresses, IReadOnlyList<string> Ttls)> AskAsync(string name)
    {
        var answer = (await Dig.AskAsync(_control.DnsPort, name, "A")).Section("ANSWER");
        return ([.. answer.Select(a => a[4]).Order()], [.. answer.Select(a => a[1]).Distinct()]);
    }

    [Fact]
    public async Task Standby_IsTheInactiveDatacenter_AndFlipsWithOrigin()
    {
        var (standby, ttls) = await AskAsync("standby.shop.test");
        Assert.Equal(["127.0.22.1", "127.0.22.2"], standby);
        Assert.Equal((await AskAsync("origin.shop.test")).Ttls, ttls);
        Assert.Equal(["127.0.21.1", "127.0.21.2"], (await AskAsync("origin.shop.test")).Addresses);

        using (var flip = await _client.PutAsync("/v1/dns/active", new StringContent("""{"datacenter":"dr"}""", Encoding.UTF8, "application/json")))
        {
            flip.EnsureSuccessStatusCode();
        }

        Assert.Equal(["127.0.21.1", "127.0.21.2"], (await AskAsync("standby.shop.test")).Addresses);
        Assert.Equal(["127.0.22.1", "127.0.22.2"], (await AskAsync("origin.shop.test")).Addresses);
        var records = (await _client.GetFromJsonAsync<JsonElement>("/v1/dns")).GetProperty("zones")[0].GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("name").GetString() == "standby.shop.test.")
            .Select(r => r.GetProperty("data").GetString()).Order();
        Assert.Equal(["127.0.21.1", "127.0.21.2"], records);
    }

    [Fact]
    public async Task OneDatacenter_HasNoStandby()
    {
        await using var single = await SiteDnsControlPlane.StartAsync(["ams"], []);

        var dig = await Dig.AskAsync(single.DnsPort, "standby.shop.test", "A");

        Assert.Equal("NXDOMAIN", dig.Status);
    }
}
