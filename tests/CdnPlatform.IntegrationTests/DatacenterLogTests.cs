using System.Collections.Concurrent;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// <c>cdnctl up --redis auto</c> shows what each datacenter's own process logs, named by its datacenter
/// (<see cref="LocalNetworkOptions.DatacenterLog"/>), where before it was only kept for a failed start.
/// </summary>
public sealed class DatacenterLogTests
{
    [Fact]
    public async Task Each_datacenters_log_lines_reach_the_launcher_named_by_their_datacenter()
    {
        var lines = new ConcurrentQueue<(string Datacenter, string Line)>();
        // At Information every request a member serves is a line: one to a DR gateway tells whose process logged it.
        await using var network = await LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = "dc-log-key-0123456789",
            StartRedisServers = true,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
            LogLevel = "Information",
            DatacenterLog = (datacenter, line) => lines.Enqueue((datacenter, line)),
        });
        var gateway = network.Nodes.First(n => n.Role == "gateway" && n.Name.StartsWith("dr-", StringComparison.Ordinal)).Url;

        using var client = new HttpClient();
        using var answer = await client.GetAsync($"{gateway}/healthz?marker=dr-log-test");

        await Eventually.TrueAsync(() => lines.Any(l => l.Line.Contains("dr-log-test", StringComparison.Ordinal)),
            Eventually.Patience, "the DR gateway's request line never reached the launcher");
        Assert.All(lines.Where(l => l.Line.Contains("dr-log-test", StringComparison.Ordinal)), l => Assert.Equal("dr", l.Datacenter));
        Assert.Contains("dr-log-test", network.DatacenterOutput("dr"));
        Assert.DoesNotContain("dr-log-test", network.DatacenterOutput("primary"));
    }
}
