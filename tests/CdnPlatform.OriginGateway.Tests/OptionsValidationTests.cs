using CdnPlatform.Origin;
using Microsoft.Extensions.Options;

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
