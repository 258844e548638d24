using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>A purge of a site behind CloudFront invalidates its distribution too, and the status says how that went.</summary>
public sealed class CloudFrontPurgeFlowTests : IAsyncLifetime
{
    private const string Key = "cloudfront-flow-key-0123456789";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeCloudFront _cloudFront = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _cloudFront = await FakeCloudFront.StartAsync(_clock);
        _app = ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
            "--Control:ApiKey", Key, "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test",
            "--Control:Sites:0:CloudFront:DistributionIds:0", "EDFDVBD6EXAMPLE",
            "--Control:Sites:0:CloudFront:Endpoint", _cloudFront.Endpoint.ToString(),
            "--Control:Sites:0:CloudFront:AccessKeyId", FakeCloudFront.AccessKeyId,
            "--Control:Sites:0:CloudFront:SecretAccessKey", FakeCloudFront.SecretAccessKey,
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.250:1",
        ], services => services.AddSingleton<IPurgeBus>(new InMemoryPurgeBus()).AddSingleton<TimeProvider>(_clock));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _cloudFront.DisposeAsync();
    }

    [Fact]
    public async Task Purge_BecomesASignedInvalidation_AndItsProgressShowsInTheStatus()
    {
        using var response = await _client.PostAsync("/v1/purge", new StringContent(
            """{"site":"shop","urls":["http://www.shop.test/a?b=1"],"prefixes":["http://www.shop.test/assets/"],"tags":["product-1"]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var target = await WaitForTargetAsync(id!, state => state != "submitting");
        Assert.Equal("in-progress", target.GetProperty("state").GetString());
        var request = Assert.Single(_cloudFront.Requests);
        var paths = request.Xml.Descendants().Where(e => e.Name.LocalName == "Path").Select(e => e.Value).ToList();
        Assert.Equal(["/a?b=1", "/assets/*"], paths);

        // CloudFront finishes on its own time; the status asks it again no more than every few seconds.
        _clock.Advance(TimeSpan.FromSeconds(6));
        var completed = await WaitForTargetAsync(id!, state => state == "completed");
        Assert.Equal("completed", completed.GetProperty("state").GetString());

        using var status = await _client.GetAsync($"/v1/purge/{id}");
        var unsupported = (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cloudFront").GetProperty("unsupported");
        Assert.Equal("product-1", Assert.Single(unsupported.EnumerateArray()).GetProperty("item").GetString());
    }

    [Fact]
    public async Task CloudFrontRefusing_ShowsAsAFailedTarget_WhileTheEdgePurgeStands()
    {
        _cloudFront.Refuse = _ => (400, "TooManyInvalidationsInProgress", "slow down");
        using var response = await _client.PostAsync("/v1/purge", new StringContent(
            """{"site":"shop","all":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var target = await WaitForTargetAsync(id!, state => state == "failed");
        Assert.Contains("TooManyInvalidationsInProgress", target.GetProperty("error").GetString());
    }

    private async Task<JsonElement> WaitForTargetAsync(string id, Func<string, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var status = await _client.GetAsync($"/v1/purge/{id}");
            var body = await status.Content.ReadFromJsonAsync<JsonElement>();
            var target = body.GetProperty("cloudFront").GetProperty("targets")[0];
            if (until(target.GetProperty("state").GetString()!))
            {
                return target;
            }
            Assert.True(DateTime.UtcNow < deadline, $"CloudFront target never reached the expected state: {target}");
            await Task.Delay(20);
        }
    }
}
