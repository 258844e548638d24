using CdnPlatform.Control.Configuration;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.IntegrationTests.Deployment;
using CdnPlatform.OriginGateway;
using Microsoft.Extensions.Configuration;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The configs docker-compose.yml mounts on real hosts pass the same start-up validation the hosts run, each file
/// by itself (with the secrets the environment adds), so a typo there fails here instead of on deploy day. How
/// they fit together in the compose file is DockerComposeTests' part.
/// </summary>
public sealed class DeploymentConfigTests
{
    private static IConfiguration Load(string relativePath, params (string Key, string Value)[] environment) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryFiles.Root, relativePath), optional: false)
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
            .Build();

    [Theory]
    [InlineData("ams")]
    [InlineData("nyc")]
    [InlineData("sgp")]
    public void EdgeConfig_IsValid_AndResolvesItsOriginThroughDns(string pop)
    {
        var options = EdgeOptions.Bind(Load($"edge/config/{pop}.json"));

        Assert.Equal(pop, options.Name);
        Assert.True(options.Dns.Enabled, "the edge would leave origin. to the system's resolver");
        // origin.<zone> (the active datacenter's gateways) and standby.<zone> (the other's): an origin group.
        Assert.All(options.Sites, site => Assert.StartsWith("origin.", new Uri(Assert.Single(site.Origins)).Host));
        Assert.All(options.Sites, site => Assert.StartsWith("standby.", new Uri(site.FailoverOrigin).Host));
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
    }

    [Fact]
    public void ControlConfig_IsValid_OnceTheKeysComeFromTheEnvironment()
    {
        var options = ControlOptions.Bind(Load("origin/config/control.json", ApiKey, GatewayKey));

        Assert.Equal(["ams", "nyc", "sgp"], options.Edges.Select(e => e.Name));
        Assert.NotEqual(0, options.Dns.Port);
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
            Assert.Equal(2, datacenter.Gateways.Count);
        }
    }

    private static readonly (string, string) ApiKey = ("Control:ApiKey", "an-api-key-from-the-environment");
    private static readonly (string, string) GatewayKey = ("Control:GatewayKey", "a-gateway-key-from-the-environment");

    [Fact]
    public void EveryEdgeConfig_ServesTheSitesTheControlPlaneKnows_InTheirZones()
    {
        var control = ControlOptions.Bind(Load("origin/config/control.json", ApiKey, GatewayKey));
        foreach (var edge in control.Edges)
        {
            var options = EdgeOptions.Bind(Load($"edge/config/{edge.Name}.json"));
            Assert.Equal(control.Sites.SelectMany(s => s.Hosts).Order(), options.Sites.SelectMany(s => s.Hosts).Order());
            Assert.All(options.Sites, site => Assert.Contains(control.Sites, s => s.Zone is { } zone && new Uri(site.Origins[0]).Host == $"origin.{zone}"));
        }
    }
}
