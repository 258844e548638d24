using CdnPlatform.Control.Configuration;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.OriginGateway;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The configs docker-compose.yml mounts on real hosts pass the same start-up validation the hosts run,
/// so a typo there fails here instead of on deploy day.
/// </summary>
public sealed class DeploymentConfigTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CdnPlatform.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CdnPlatform.sln not found above " + AppContext.BaseDirectory);
    }

    private static IConfiguration Load(string relativePath, params (string Key, string Value)[] environment) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoRoot(), relativePath), optional: false)
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
            .Build();

    [Theory]
    [InlineData("ams")]
    [InlineData("nyc")]
    [InlineData("sgp")]
    public void EdgeConfig_IsValid(string pop)
    {
        var options = EdgeOptions.Bind(Load($"edge/config/{pop}.json"));
        Assert.Equal(pop, options.Name);
        // Both gateways of the primary datacenter, so that losing one of them costs no request.
        Assert.All(options.Sites, site => Assert.Equal(2, site.Origins.Count));
        Assert.Equal("redis", Cluster.ClusterOptions.Bind(Load($"edge/config/{pop}.json")).Transport);
    }

    [Theory]
    [InlineData("primary")]
    [InlineData("dr")]
    public void GatewayConfig_IsValid(string datacenter)
    {
        var options = OriginGatewayOptions.Bind(Load($"origin/config/gateway-{datacenter}.json"));
        Assert.Equal(datacenter, options.Datacenter);
        // Named as the nodes name themselves (Origin__Node in docker-compose.yml), which drains go by.
        Assert.Equal([$"{datacenter}-1", $"{datacenter}-2", $"{datacenter}-3"], options.Nodes.Select(node => node.Name));
        // One config for the datacenter's pair: docker-compose.yml mounts it into both gateways.
        var compose = File.ReadAllText(Path.Combine(RepoRoot(), "docker-compose.yml"));
        Assert.Equal(2, Regex.Count(compose, Regex.Escape($"./origin/config/gateway-{datacenter}.json:")));
    }

    [Fact]
    public void ControlConfig_IsValid_OnceTheApiKeyComesFromTheEnvironment()
    {
        var options = ControlOptions.Bind(Load("origin/config/control.json", ApiKey, GatewayKey));
        Assert.Equal(["ams", "nyc", "sgp"], options.Edges.Select(e => e.Name));
        // Without the keys the control plane must refuse to start: the file holds no secret.
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ControlOptions.Bind(Load("origin/config/control.json", ApiKey)));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ControlOptions.Bind(Load("origin/config/control.json", GatewayKey)));
    }

    [Fact]
    public void ControlConfig_DrainsTheNodesTheGatewaysBalance()
    {
        var control = ControlOptions.Bind(Load("origin/config/control.json", ApiKey, GatewayKey));
        Assert.Equal(["primary", "dr"], control.Datacenters.Select(d => d.Name));
        foreach (var datacenter in control.Datacenters)
        {
            var gateway = OriginGatewayOptions.Bind(Load($"origin/config/gateway-{datacenter.Name}.json"));
            Assert.Equal(gateway.Nodes.Select(node => node.Name), datacenter.Nodes);
            // One compose service per gateway URL, each mounting this datacenter's gateway config.
            Assert.Equal([$"http://gateway-{datacenter.Name}-1:8080", $"http://gateway-{datacenter.Name}-2:8080"], datacenter.Gateways);
        }
    }

    private static readonly (string, string) ApiKey = ("Control:ApiKey", "an-api-key-from-the-environment");
    private static readonly (string, string) GatewayKey = ("Control:GatewayKey", "a-gateway-key-from-the-environment");

    [Fact]
    public void EveryEdgeConfig_ServesTheSitesTheControlPlaneKnows()
    {
        var control = ControlOptions.Bind(Load("origin/config/control.json", ApiKey, GatewayKey));
        foreach (var edge in control.Edges)
        {
            var options = EdgeOptions.Bind(Load($"edge/config/{edge.Name}.json"));
            Assert.Equal(control.Sites.SelectMany(s => s.Hosts).Order(), options.Sites.SelectMany(s => s.Hosts).Order());
        }
    }

    [Theory]
    [InlineData("primary-node", "primary", "redis-primary:6379")]
    [InlineData("dr-node", "dr", "redis-dr:6379")]
    public void OriginNodeEnvironment_IsValid_AndUsesItsDatacentersRedis(string anchor, string datacenter, string redis)
    {
        (string Key, string Value)[] environment = [.. ComposeEnvironment(anchor), ("Origin:Node", $"{datacenter}-1")];

        var options = Origin.OriginOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build());

        Assert.Equal(datacenter, options.Datacenter);
        Assert.Equal(redis, options.Redis);
        Assert.Equal("shop", options.Purge!.Site);
        Assert.Equal(new Uri("http://control:8080"), options.Purge.ControlUrl);
    }

    [Fact]
    public void Compose_KeepsThePurgeLogApartFromTheDatacentersStores_AndDrReplicatesThePrimary()
    {
        var compose = File.ReadAllText(Path.Combine(RepoRoot(), "docker-compose.yml"));

        Assert.Matches(@"redis-dr:\s+image: redis:7\s+command: \[[^\]]*""--replicaof"", ""redis-primary"", ""6379""\]", compose);
        Assert.Equal("redis-control:6379", Cluster.ClusterOptions.Bind(Load("origin/config/control.json")).Redis);
        foreach (var pop in new[] { "ams", "nyc", "sgp" })
        {
            Assert.Equal("redis-control:6379", Cluster.ClusterOptions.Bind(Load($"edge/config/{pop}.json")).Redis);
        }
    }

    /// <summary>
    /// The <c>Origin__*</c> settings of one YAML anchor of docker-compose.yml (following its <c>&lt;&lt;:</c> merge),
    /// with every <c>${VAR:?…}</c> given a stand-in value as the environment would.
    /// </summary>
    private static IEnumerable<(string Key, string Value)> ComposeEnvironment(string anchor)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "docker-compose.yml"));
        var start = Array.FindIndex(lines, l => l.StartsWith($"x-{anchor}: &{anchor}", StringComparison.Ordinal));
        Assert.True(start >= 0, $"docker-compose.yml has no x-{anchor} anchor");
        var settings = new Dictionary<string, string>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            var (key, value) = (line[..line.IndexOf(':')].Trim(), line[(line.IndexOf(':') + 1)..].Trim());
            if (key == "<<")
            {
                foreach (var (k, v) in ComposeEnvironment(value.TrimStart('*')))
                {
                    settings[k] = v;
                }
                continue;
            }
            settings[key.Replace("__", ":")] = Regex.Replace(value.Trim('"'), @"\$\{[A-Z_]+:\?[^}]*\}", "a-value-from-the-environment-0123");
        }
        return settings.Select(kv => (kv.Key, kv.Value));
    }
}
