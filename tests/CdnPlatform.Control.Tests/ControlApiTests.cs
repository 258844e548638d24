using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests;

/// <summary>The control API over a real socket, with the in-memory bus standing in for the edges.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private const string Key = "test-api-key-0123456789";
    private readonly InMemoryPurgeBus _bus = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        (_app, _client) = await StartAsync(_bus);
    }

    private static async Task<(WebApplication, HttpClient)> StartAsync(InMemoryPurgeBus bus, TimeProvider? clock = null)
    {
        var app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            "--Control:Edges:1:Name", "nyc", "--Control:Edges:1:Url", "http://127.0.10.251:1",
        ], services =>
        {
            services.AddSingleton<IPurgeBus>(bus);
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private HttpRequestMessage Post(string body, string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/purge") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    [Fact]
    public async Task Purge_WithoutKey_Is401()
    {
        using var response = await _client.SendAsync(Post("""{"site":"shop","urls":["http://www.shop.test/"]}""", key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Purge_WithWrongKey_Is401()
    {
        using var response = await _client.SendAsync(Post("""{"site":"shop","urls":["http://www.shop.test/"]}""", key: "wrong-key-0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"site":""", "$")]
    [InlineData("""{"site":"shop","urls":["http://elsewhere.test/"]}""", "urls[0]")]
    public async Task Purge_BadBody_Is400WithReason(string body, string field)
    {
        using var response = await _client.SendAsync(Post(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.StartsWith(field == "$" ? "malformed JSON" : field, error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Purge_IsAccepted_Published_AndDoneOnceEveryEdgeAcknowledged()
    {
        using var response = await _client.SendAsync(Post("""{"site":"shop","urls":["http://www.shop.test/p"]}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/purge/{id}", accepted.GetProperty("status").GetString());

        // 202 means it is in the log already.
        var logged = Assert.Single((await _bus.ReadAsync(0, 10)).Entries);
        Assert.Equal(id, logged.Id);
        Assert.Equal(["http://www.shop.test/p"], logged.Urls);
        Assert.Equal(accepted.GetProperty("sequence").GetInt64(), logged.Sequence);

        Assert.Equal("pending", (await StatusAsync(id)).GetProperty("state").GetString());
        await _bus.AcknowledgeAsync(new PurgeAck(id, "ams", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await StatusAsync(id)).GetProperty("edges")[0].GetProperty("appliedAt").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(10), "ams's acknowledgement in the status");
        Assert.Equal("pending", (await StatusAsync(id)).GetProperty("state").GetString());

        await _bus.AcknowledgeAsync(new PurgeAck(id, "nyc", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await StatusAsync(id)).GetProperty("state").GetString() == "done",
            TimeSpan.FromSeconds(10), "the purge done once both edges acknowledged");
    }

    [Fact]
    public async Task Propagation_IsTheControlPlanesOwnTime_WhateverTheEdgesClocksSay()
    {
        // Edge clocks that disagree with the control plane's by an hour either way: the per-edge times are
        // reported as the edges gave them, the propagation comes from the control plane's clock alone.
        var clock = new FakeTimeProvider();
        var bus = new InMemoryPurgeBus();
        var (app, client) = await StartAsync(bus, clock);
        await using var _ = app;
        using var __ = client;
        using var post = Post("""{"site":"shop","urls":["http://www.shop.test/clock"]}""");
        using var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var aheadAt = clock.GetUtcNow().AddHours(1);
        var behindAt = clock.GetUtcNow().AddHours(-1);

        clock.Advance(TimeSpan.FromMilliseconds(4));
        await bus.AcknowledgeAsync(new PurgeAck(id, "ams", aheadAt));
        clock.Advance(TimeSpan.FromMilliseconds(3));
        await bus.AcknowledgeAsync(new PurgeAck(id, "nyc", behindAt));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/purge/{id}?wait=10");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var answered = await client.SendAsync(request);
        var status = await answered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("done", status.GetProperty("state").GetString());
        Assert.Equal(7, status.GetProperty("propagationMs").GetDouble(), precision: 6);
        Assert.Equal(aheadAt, status.GetProperty("edges")[0].GetProperty("appliedAt").GetDateTimeOffset());
        Assert.Equal(behindAt, status.GetProperty("edges")[1].GetProperty("appliedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task StartUpWarmUp_PurgesNothing_TracksNothing_AuditsNothing()
    {
        var audit = Path.GetTempFileName();
        try
        {
            var bus = new InMemoryPurgeBus();
            var logs = new CapturingLoggerProvider();
            var app = ControlHost.Build(
            [
                "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Control:AuditLogPath", audit,
                "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
                "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
            ], services => services.AddSingleton<IPurgeBus>(bus).AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
            await using (app)
            {
                await app.StartAsync();
                // It ran without a failure (which would be a warning, and is never fatal).
                Assert.DoesNotContain(logs.Entries, e => e.Category.EndsWith("PurgeApiWarmup", StringComparison.Ordinal));
                Assert.Empty((await bus.ReadAsync(0, 10)).Entries);
                Assert.Equal(0, app.Services.GetRequiredService<CdnPlatform.Control.Purging.PurgeTracker>().Count);
                Assert.Equal(0, new FileInfo(audit).Length);
            }
        }
        finally
        {
            File.Delete(audit);
        }
    }

    [Fact]
    public async Task PurgeStatus_UnknownId_Is404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/purge/nope");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Status_ReportsTransportAndUnreachableEdgesAsDown()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await _client.SendAsync(request);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("memory", status.GetProperty("transport").GetString());
        Assert.All(status.GetProperty("edges").EnumerateArray(), e => Assert.StartsWith("down", e.GetProperty("health").GetString()));
    }

    [Fact]
    public void BadOption_StopsStartup_NamingTheKey()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ControlHost.Build(
            ["--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
             "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "ftp://x"]));
        Assert.Contains("Control:Edges:0:Url", e.Message);
    }

    private async Task<JsonElement> StatusAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/purge/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndDescribesThePurgeApi()
    {
        using var response = await _client.GetAsync("/v1/openapi.yaml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("openapi: 3.1.0", document);
        Assert.Contains("/v1/purge/{id}:", document);
        Assert.Contains("prefixes:", document);
    }

    [Fact]
    public async Task StatusWithWait_AnswersOnceTheLastEdgeAcknowledged()
    {
        using var response = await _client.SendAsync(Post("""{"site":"shop","urls":["http://www.shop.test/lp"]}"""));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/purge/{id}?wait=20");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var waiting = _client.SendAsync(request);
        // Once the control plane has taken one of the two acknowledgements (its status shows it), the purge
        // is still not done: the long poll must still be waiting.
        await _bus.AcknowledgeAsync(new PurgeAck(id, "ams", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await StatusAsync(id)).GetProperty("edges")[0].GetProperty("appliedAt").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(10), "ams's acknowledgement in the status");
        Assert.False(waiting.IsCompleted, "the long poll answered before the purge was done");

        await _bus.AcknowledgeAsync(new PurgeAck(id, "nyc", DateTimeOffset.UtcNow));
        using var answered = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("done", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task StatusWithWait_AnswersPendingWhenTheWaitRunsOut()
    {
        using var response = await _client.SendAsync(Post("""{"site":"shop","urls":["http://www.shop.test/lp2"]}"""));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/purge/{id}?wait=0.2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var answered = await _client.SendAsync(request);
        Assert.Equal("pending", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
    }
}
