using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests;

/// <summary>Scopes, rate limits, the audit log and an unavailable purge log, over a real socket.</summary>
public sealed class ControlPolicyTests
{
    private const string ShopKey = "shop-cms-key-0123456789";

    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(IPurgeBus? bus, params string[] extra)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:1:Name", "blog", "--Control:Sites:1:Hosts:0", "blog.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:ApiKeys:0:Name", "cms-shop", "--Control:ApiKeys:0:Sha256", Sha(ShopKey),
            "--Control:ApiKeys:0:Sites:0", "shop", "--Control:ApiKeys:0:Actions:0", "purge",
            .. extra,
        ];
        var app = ControlHost.Build(args, bus is null ? null : services => services.AddSingleton(bus));
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    private static HttpRequestMessage Purge(string body, string key = ShopKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/purge") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Fact]
    public async Task KeyScopedToOneSite_Gets403ForAnother_And403ForStatus()
    {
        var (app, client) = await StartAsync(new InMemoryPurgeBus());
        await using var _ = app;
        using var other = await client.SendAsync(Purge("""{"site":"blog","all":true}"""));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        using var own = await client.SendAsync(Purge("""{"site":"shop","all":true}"""));
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);

        using var status = new HttpRequestMessage(HttpMethod.Get, "/v1/status");
        status.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ShopKey);
        using var statusResponse = await client.SendAsync(status);
        Assert.Equal(HttpStatusCode.Forbidden, statusResponse.StatusCode);
    }

    [Fact]
    public async Task KeyOverItsRate_Gets429WithRetryAfter()
    {
        var (app, client) = await StartAsync(new InMemoryPurgeBus(), "--Control:PurgeRequestsPerSecond", "1", "--Control:PurgeBurst", "2");
        await using var _ = app;
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await client.SendAsync(Purge("""{"site":"shop","tags":["t"]}"""));
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
                break;
            }
            response.Dispose();
        }
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(2, codes.Count(c => c == HttpStatusCode.Accepted));
        limited.Dispose();
    }

    [Fact]
    public async Task EveryPurgeRequest_IsAudited_WithWhoWhatAndOutcome()
    {
        var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (app, client) = await StartAsync(new InMemoryPurgeBus(), "--Control:AuditLogPath", path);
            await using (app)
            {
                (await client.SendAsync(Purge("""{"site":"shop","urls":["http://www.shop.test/a"],"soft":true}"""))).Dispose();
                (await client.SendAsync(Purge("""{"site":"blog","all":true}"""))).Dispose();
                (await client.SendAsync(Purge("""{"site":"shop"}"""))).Dispose();
            }
            var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(["accepted", "forbidden", "rejected"], lines.Select(l => l.GetProperty("outcome").GetString()));
            Assert.All(lines, l => Assert.Equal("cms-shop", l.GetProperty("key").GetString()));
            Assert.Equal(1, lines[0].GetProperty("urls").GetInt32());
            Assert.True(lines[0].GetProperty("soft").GetBoolean());
            Assert.NotEqual(JsonValueKind.Null, lines[0].GetProperty("purgeId").ValueKind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task EveryDnsChange_IsAudited_WithWhoZonesAndBeforeAfter()
    {
        var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
        const string OpsKey = "ops-key-0123456789abcdef";
        try
        {
            var (app, client) = await StartAsync(new InMemoryPurgeBus(), "--Control:AuditLogPath", path,
                "--Control:Sites:0:Zone", "shop.test",
                "--Control:Dns:Port", FreePort.OnLoopback().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Control:GatewayKey", "gateway-key-0123456789",
                "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.1:8080",
                "--Control:Datacenters:0:Nodes:0", "primary-1",
                "--Control:Datacenters:1:Name", "dr", "--Control:Datacenters:1:Gateways:0", "http://127.0.22.1:8080",
                "--Control:Datacenters:1:Nodes:0", "dr-1",
                "--Control:ApiKeys:1:Name", "ops-anna", "--Control:ApiKeys:1:Sha256", Sha(OpsKey), "--Control:ApiKeys:1:Sites:0", "*", "--Control:ApiKeys:1:Actions:0", "ops");
            await using (app)
            {
                foreach (var datacenter in new[] { "dr", "primary" })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/dns/active")
                    {
                        Content = new StringContent($$"""{"datacenter":"{{datacenter}}"}""", Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsKey);
                    using var response = await client.SendAsync(request);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
            var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(2, lines.Count);
            Assert.All(lines, l => Assert.Equal("ops-anna", l.GetProperty("key").GetString()));
            Assert.All(lines, l => Assert.Equal("active-datacenter", l.GetProperty("change").GetString()));
            Assert.All(lines, l => Assert.Equal(["shop.test."], l.GetProperty("zones").EnumerateArray().Select(z => z.GetString())));
            Assert.Equal(("primary", "dr"), (lines[0].GetProperty("before").GetString(), lines[0].GetProperty("after").GetString()));
            Assert.Equal(("dr", "primary"), (lines[1].GetProperty("before").GetString(), lines[1].GetProperty("after").GetString()));
            Assert.True(lines[1].GetProperty("serial").GetUInt32() > lines[0].GetProperty("serial").GetUInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PurgeLogUnreachable_Is503_AndNothingIsAccepted()
    {
        var deadPort = FreePort.OnLoopback();
        var (app, client) = await StartAsync(null, "--Cluster:Transport", "redis", "--Cluster:Redis", $"127.0.0.1:{deadPort},connectTimeout=500,syncTimeout=1000");
        await using var _ = app;
        using var response = await client.SendAsync(Purge("""{"site":"shop","urls":["http://www.shop.test/a"]}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
