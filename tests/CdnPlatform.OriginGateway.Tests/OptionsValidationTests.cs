using CdnPlatform.Origin;
using CdnPlatform.OriginGateway.Drain;
using CdnPlatform.OriginGateway.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;

namespace CdnPlatform.OriginGateway.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Gateway_RejectsANodeThatIsNotAUrl()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            OriginGatewayHost.Build(["--Gateway:Datacenter=primary", "--Gateway:Nodes:0=notaurl"]));

        Assert.Contains("Gateway:Nodes:0", error.Message);
    }

    [Fact]
    public void Gateway_NamesEveryBadKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OriginGatewayHost.Build(
        [
            "--Gateway:Nodes:0=http://127.0.21.11:8080", "--Gateway:Nodes:1=ftp://x", "--Gateway:Nodes:2=http://127.0.21.11:8080",
            "--Gateway:HealthCheckIntervalSeconds=0", "--Gateway:HealthCheckPath=healthz",
        ]));

        Assert.Equal(
            [
                "Gateway:Datacenter is required",
                "Gateway:Nodes:1: 'ftp://x' is not an absolute http:// or https:// URL",
                "Gateway:Nodes:2: 'http://127.0.21.11:8080' is already Gateway:Nodes:0",
                "Gateway:HealthCheckIntervalSeconds: '0' is not a whole number of seconds from 1 to 300",
                "Gateway:HealthCheckPath: 'healthz' must start with '/'",
            ],
            error.Failures);
    }

    [Fact]
    public void Gateway_NamesEveryBadHealthAndRetryKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OriginGatewayHost.Build(
        [
            "--Gateway:Datacenter=primary", "--Gateway:Nodes:0=http://127.0.21.11:8080",
            "--Gateway:HealthCheckFailureThreshold=0", "--Gateway:PassiveFailureThreshold=many",
            "--Gateway:PassiveReactivationSeconds=301", "--Gateway:MaxRetries=-1", "--Gateway:WriteHoldSeconds=0", "--Gateway:MaxHeldWrites=0",
        ]));

        Assert.Equal(
            [
                "Gateway:HealthCheckFailureThreshold: '0' is not a whole number from 1 to 100",
                "Gateway:PassiveFailureThreshold: 'many' is not a whole number from 1 to 100",
                "Gateway:PassiveReactivationSeconds: '301' is not a whole number of seconds from 1 to 300",
                "Gateway:MaxRetries: '-1' is not a whole number from 0 to 10",
                "Gateway:WriteHoldSeconds: '0' is not a whole number of seconds from 1 to 120",
                "Gateway:MaxHeldWrites: '0' is not a whole number from 1 to 100000",
            ],
            error.Failures);
    }

    [Fact]
    public void Gateway_ClusterCarriesTheHealthAndBalancingSettings()
    {
        var options = OriginGatewayOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Datacenter"] = "primary",
            ["Gateway:Nodes:0"] = "http://127.0.21.11:8080",
            ["Gateway:PassiveReactivationSeconds"] = "7",
        }).Build());

        var cluster = NodeCluster.Cluster(options);

        Assert.Equal(LoadBalancingPolicies.PowerOfTwoChoices, cluster.LoadBalancingPolicy);
        Assert.Equal(DrainAwareDestinationsPolicy.PolicyName, cluster.HealthCheck!.AvailableDestinationsPolicy);
        Assert.Equal(ConsecutiveProbeFailuresPolicy.PolicyName, cluster.HealthCheck.Active!.Policy);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.HealthCheck.Active.Interval);
        Assert.Equal(ConsecutiveNodeFailuresPolicy.PolicyName, cluster.HealthCheck.Passive!.Policy);
        Assert.Equal(TimeSpan.FromSeconds(7), cluster.HealthCheck.Passive.ReactivationPeriod);
    }

    [Fact]
    public void Gateway_NamesNodes_ByTheirNameOrTheirKey()
    {
        var options = OriginGatewayOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Datacenter"] = "primary",
            ["Gateway:Nodes:0:Name"] = "primary-1",
            ["Gateway:Nodes:0:Url"] = "http://127.0.21.11:8080",
            ["Gateway:Nodes:1"] = "http://127.0.21.12:8080",
        }).Build());

        Assert.Equal(["primary-1", "node-1"], options.Nodes.Select(node => node.Name));
        Assert.Equal("", options.AdminKey);
    }

    [Fact]
    public void Gateway_NamesEveryBadNodeNameAndTheShortAdminKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OriginGatewayHost.Build(
        [
            "--Gateway:Datacenter=primary", "--Gateway:AdminKey=short",
            "--Gateway:Nodes:0:Name=primary-1", "--Gateway:Nodes:0:Url=http://127.0.21.11:8080",
            "--Gateway:Nodes:1:Name=PRIMARY-1", "--Gateway:Nodes:1:Url=http://127.0.21.12:8080",
            "--Gateway:Nodes:2:Name=primary 3", "--Gateway:Nodes:2:Url=http://127.0.21.13:8080",
            "--Gateway:Nodes:3:Url=http://127.0.21.14:8080",
            "--Gateway:Nodes:4:Name=primary-5",
        ]));

        Assert.Equal(
            [
                "Gateway:Nodes:1:Name: the name 'PRIMARY-1' is already Gateway:Nodes:0",
                "Gateway:Nodes:2:Name: 'primary 3' is not a node name (letters, digits, '-', '_' and '.')",
                "Gateway:Nodes:3:Name is required",
                "Gateway:Nodes:4:Url: '' is not an absolute http:// or https:// URL",
                "Gateway:AdminKey must be at least 16 characters",
            ],
            error.Failures);
    }

    [Fact]
    public void Gateway_RequiresAtLeastOneNode()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            OriginGatewayHost.Build(["--Gateway:Datacenter=primary"]));

        Assert.Contains("Gateway:Nodes", error.Message);
    }

    [Fact]
    public void Origin_RequiresNode()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            OriginHost.Build(["--Origin:Datacenter=primary"]));

        Assert.Contains("Origin:Node", error.Message);
    }

    [Fact]
    public void Origin_RejectsANegativeSharedMaxAge()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OriginHost.Build(
            ["--Origin:Node=n1", "--Origin:Datacenter=primary", "--Origin:AssetSharedMaxAgeSeconds=-1"]));

        Assert.Contains("Origin:AssetSharedMaxAgeSeconds", error.Message);
    }
}
