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
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_datacenters_log_lines_reach_the_launcher_named_by_their_datacenter(bool originProcesses)
    {
        var lines = new ConcurrentQueue<(string Datacenter, string Line)>();
        // At Information every request a member serves is a line: one to a DR member tells whose process logged it.
        await using var network = await LocalNetwork.StartAsync(new LocalNetworkOptions
        {
            ApiKey = "dc-log-key-0123456789",
            StartRedisServers = true,
            OriginProcesses = originProcesses,
            NodePort = 0,
            ControlPort = 0,
            DnsPort = 0,
            LogLevel = "Information",
            DatacenterLog = (datacenter, line) => lines.Enqueue((datacenter, line)),
        });
        // A gateway runs in the datacenter's process; with --origin-processes a node is that process's own child.
        var member = network.Nodes.First(n => n.Name == (originProcesses ? "dr-1" : "dr-gw1"));

        using var client = new HttpClient();
        using var answer = await client.GetAsync($"{member.Url}/healthz?marker=dr-log-test");

        await Eventually.TrueAsync(() => lines.Any(l => l.Line.Contains("dr-log-test", StringComparison.Ordinal)),
            Eventually.Patience, $"{member.Name}'s request line never reached the launcher");
        var logged = lines.Where(l => l.Line.Contains("dr-log-test", StringComparison.Ordinal)).ToList();
        Assert.All(logged, l => Assert.Equal("dr", l.Datacenter));
        if (originProcesses)
        {
            Assert.Contains(logged, l => l.Line.StartsWith("dr-1: ", StringComparison.Ordinal));
        }
        Assert.Contains("dr-log-test", network.DatacenterOutput("dr"));
        Assert.DoesNotContain("dr-log-test", network.DatacenterOutput("primary"));
    }
}
