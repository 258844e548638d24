using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CdnPlatform.Cli.Topology;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>POST /v1/dc/{name}/kill</c> and <c>cdnctl dc kill</c> where nothing may be killed: the in-memory network, whose
/// datacenters share this process, refuses (404) and keeps serving; a key without <c>ops</c> gets 403, an unknown
/// datacenter 400.
/// </summary>
public sealed class DatacenterPowerRefusalTests : IAsyncLifetime
{
    private const string ApiKey = "integration-key-0123456789";
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false });
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = ApiKey,
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
    });

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _network.DisposeAsync();
    }

    [Theory]
    [InlineData("kill")]
    [InlineData("start")]
    public async Task OnTheInMemoryNetwork_KillAndStart_Are404_AndItGoesOnServing(string action)
    {
        using var answer = await PostAsync($"/v1/dc/primary/{action}", ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("cdnctl up --redis auto", await ErrorOfAsync(answer));
        using var gateway = await _client.GetAsync(_network.Nodes.Single(n => n.Name == "primary-gw1").Url + "/healthz");
        Assert.Equal(HttpStatusCode.OK, gateway.StatusCode);
    }

    [Fact]
    public async Task WithoutTheOpsScope_Is403()
    {
        using var answer = await PostAsync("/v1/dc/primary/kill", _network.ShopPurgeKey);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("needs 'ops'", await ErrorOfAsync(answer));
    }

    [Fact]
    public async Task AnUnknownDatacenter_Is400()
    {
        using var answer = await PostAsync("/v1/dc/moon/kill", ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("'primary', 'dr'", await ErrorOfAsync(answer));
    }

    [Fact]
    public async Task CdnctlDcKill_OnTheInMemoryNetwork_Refuses()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cdnctl.dll"), "dc", "kill", "primary", "--control", _network.ControlUrl, "--api-key", ApiKey })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("refused (404)", await error);
    }

    private static async Task<string> ErrorOfAsync(HttpResponseMessage answer) =>
        JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    private Task<HttpResponseMessage> PostAsync(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _network.ControlUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _client.SendAsync(request);
    }
}
