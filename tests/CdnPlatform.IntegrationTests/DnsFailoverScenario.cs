using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// Issue 11's bar on the whole local network: edges find the shop through <c>origin.shop.test</c>, resolved with
/// DnsClient against the control plane's DNS, so <c>PUT /v1/dns/active</c> moves their traffic to the other
/// datacenter, told to re-resolve on the cluster bus rather than waiting for the TTL. Run for every transport of
/// the signal (<see cref="InMemoryNetworkTests"/>, <see cref="RedisNetworkTests"/>).
/// </summary>
public static class DnsFailoverScenario
{
    /// <summary>Every edge's answer for the origin name came from the control plane's DNS: the primary gateways.</summary>
    public static async Task EveryEdgeResolvedThroughTheControlPlaneAsync(LocalNetwork network)
    {
        var primaryGateways = GatewayAddresses(network, "primary");
        foreach (var edge in network.EdgeNodes)
        {
            // The edges started before the control plane and its DNS: their first requests waited for an answer.
            (await ShopScenario.SiteGetAsync(edge.Url, "/whoami")).Dispose();
            var name = await OriginNameAsync(edge.Url);
            Assert.Equal("fresh", name.GetProperty("state").GetString());
            Assert.Equal($"{LocalNetwork.ControlAddress}:{network.DnsPort}", name.GetProperty("answeredBy").GetString());
            Assert.Equal(primaryGateways, name.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()!).Order());
        }
    }

    public static async Task FlipAndBackAsync(LocalNetwork network)
    {
        Assert.All(await ServedByAsync(network), served => Assert.Equal("primary", served.Datacenter));

        var serial = await SetActiveAsync(network, "dr");
        await UntilEveryEdgeResolvedAsync(network, "dr", serial);

        var afterFlip = await ServedByAsync(network);
        Assert.All(afterFlip, served => Assert.Equal("dr", served.Datacenter));
        Assert.All(afterFlip, served => Assert.StartsWith("dr-", served.Node));

        serial = await SetActiveAsync(network, "primary");
        await UntilEveryEdgeResolvedAsync(network, "primary", serial);

        Assert.All(await ServedByAsync(network), served => Assert.Equal("primary", served.Datacenter));
    }

    /// <summary>Ten requests through each edge (/whoami is never cached): the datacenter and node of each answer.</summary>
    private static async Task<IReadOnlyList<(string Datacenter, string Node)>> ServedByAsync(LocalNetwork network)
    {
        var served = new List<(string, string)>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await ShopScenario.SiteGetAsync(network.EdgeNodes[i % 3].Url, "/whoami");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(body.GetProperty("node").GetString(), response.Headers.GetValues("X-Served-By").Single());
            served.Add((body.GetProperty("datacenter").GetString()!, body.GetProperty("node").GetString()!));
        }
        return served;
    }

    private static async Task<uint> SetActiveAsync(LocalNetwork network, string datacenter)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, network.ControlUrl + "/v1/dns/active")
        {
            Content = new StringContent($$"""{"datacenter":"{{datacenter}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", network.ApiKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("zones")[0].GetProperty("serial").GetUInt32();
    }

    /// <summary>
    /// Each edge heard the signal for <paramref name="serial"/> and holds the datacenter's gateways. The wait is
    /// the signal's way through the bus and one DNS query, not the TTL: the serial shows it was the signal.
    /// </summary>
    private static async Task UntilEveryEdgeResolvedAsync(LocalNetwork network, string datacenter, uint serial)
    {
        var gateways = GatewayAddresses(network, datacenter);
        foreach (var edge in network.EdgeNodes)
        {
            await Eventually.ValueAsync(() => EdgeHealthAsync(edge.Url),
                health => health.GetProperty("dnsChangeSerial").ValueKind == JsonValueKind.Number
                    && health.GetProperty("dnsChangeSerial").GetUInt32() == serial
                    && Addresses(health).SequenceEqual(gateways),
                Eventually.Patience, health => $"edge {edge.Name} after the flip to {datacenter} (serial {serial}): {health}");
        }
    }

    private static IReadOnlyList<string> GatewayAddresses(LocalNetwork network, string datacenter) =>
        [.. network.Nodes.Where(n => n.Role == "gateway" && n.Name.StartsWith(datacenter + "-", StringComparison.Ordinal)).Select(n => new Uri(n.Url).Host).Order()];

    private static async Task<JsonElement> OriginNameAsync(string edgeUrl) =>
        (await EdgeHealthAsync(edgeUrl)).GetProperty("originNames").EnumerateArray().Single(n => n.GetProperty("name").GetString() == LocalNetwork.OriginName);

    private static IEnumerable<string> Addresses(JsonElement health) =>
        health.GetProperty("originNames")[0].GetProperty("addresses").EnumerateArray().Select(a => a.GetString()!).Order();

    // The edge's own health: its address is no site's Host.
    private static async Task<JsonElement> EdgeHealthAsync(string edgeUrl)
    {
        using var client = new HttpClient();
        return await client.GetFromJsonAsync<JsonElement>(edgeUrl + "/healthz");
    }
}
