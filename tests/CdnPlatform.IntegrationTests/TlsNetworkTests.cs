using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>The in-memory network with <see cref="LocalNetworkOptions.Tls"/>: every edge serves HTTPS, also after a restart.</summary>
public sealed class TlsNetworkTests : IAsyncLifetime
{
    private LocalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await LocalNetwork.StartAsync(new LocalNetworkOptions
    {
        ApiKey = "tls-api-key-0123456789",
        NodePort = 0,
        ControlPort = 0,
        DnsPort = 0,
        Tls = true,
        TlsPort = 0,
    });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task EveryEdge_ServesHttp2_AndARestartedEdgeComesBackOnItsHttpsAddress()
    {
        Assert.Equal(LocalNetwork.Edges.Select(e => e.Pop), _network.EdgeHttpsUrls.Select(e => e.Pop));
        foreach (var (_, url) in _network.EdgeHttpsUrls)
        {
            Assert.Equal("2 200", (await GetAsync(new Uri(url), "/")).Output);
        }

        var (pop, ams) = _network.EdgeHttpsUrls[0];
        await _network.RestartNodeAsync(_network.EdgeNodes.Single(e => e.Name == pop).Url);

        var again = await GetAsync(new Uri(ams), "/category/grinders");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("2 200", again.Output);
    }

    private Task<Curl> GetAsync(Uri edge, string path) =>
        Curl.RunAsync("--http2", "--cacert", Path.Combine(_network.TlsDirectory!, LocalNetwork.TlsCaFileName),
            "--resolve", $"{LocalNetwork.SiteHost}:{edge.Port}:{edge.Host}", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
            $"https://{LocalNetwork.SiteHost}:{edge.Port}{path}");
}
