using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ControlOptionsTests
{
    private static readonly ControlOptions Valid = new()
    {
        ApiKey = "0123456789abcdef",
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"] }],
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
    };

    [Fact]
    public void ValidOptions_HaveNoFailures() => Assert.Empty(Valid.Validate());

    [Fact]
    public void ShortApiKey_NamesTheKey() => Assert.Contains((Valid with { ApiKey = "short" }).Validate(), f => f.StartsWith("Control:ApiKey"));

    [Fact]
    public void EdgeWithBadUrl_NamesItsIndex()
    {
        var options = Valid with { Edges = [Valid.Edges[0], new ControlEdgeOptions { Name = "nyc", Url = "not a url" }] };
        Assert.Contains(options.Validate(), f => f.StartsWith("Control:Edges:1:Url"));
    }

    [Fact]
    public void DuplicateEdgeNames_AreRefused()
    {
        var options = Valid with { Edges = [Valid.Edges[0], Valid.Edges[0]] };
        Assert.Contains(options.Validate(), f => f.Contains("'ams'"));
    }

    private static readonly ControlDatacenterOptions Primary = new()
    {
        Name = "primary",
        Gateways = ["http://127.0.21.1:8080", "http://127.0.21.2:8080"],
        Nodes = ["primary-1", "primary-2", "primary-3"],
    };

    [Fact]
    public void Datacenters_WithAGatewayKey_AreValid() =>
        Assert.Empty((Valid with { Datacenters = [Primary], GatewayKey = "gateway-key-0123456789" }).Validate());

    [Fact]
    public void Datacenters_NameEveryBadKey()
    {
        var options = Valid with
        {
            Datacenters =
            [
                new ControlDatacenterOptions { Name = "", Gateways = ["http://127.0.21.1:8080", "not a url"], Nodes = ["primary-1", "PRIMARY-1", "a/b"] },
                new ControlDatacenterOptions { Name = "dr" },
                new ControlDatacenterOptions { Name = "dr", Gateways = ["http://127.0.22.1:8080"], Nodes = ["dr-1"] },
            ],
            DrainReassertSeconds = 0,
        };

        Assert.Equal(
            [
                "Control:Datacenters:0:Name is required",
                "Control:Datacenters:0:Gateways:1: 'not a url' is not an absolute http:// or https:// URL",
                "Control:Datacenters:0:Nodes:2: 'a/b' is not a node name (letters, digits, '-', '_' and '.')",
                "Control:Datacenters:0:Nodes: the name 'primary-1' is used 2 times",
                "Control:Datacenters:1:Gateways must name at least one gateway URL",
                "Control:Datacenters:1:Nodes must name at least one node",
                "Control:Datacenters: the name 'dr' is used 2 times",
                "Control:GatewayKey is required with Control:Datacenters (the gateways' Gateway:AdminKey)",
                "Control:DrainReassertSeconds must be 1..60, was 0",
            ],
            options.Validate());
    }

    [Fact]
    public void ShortGatewayKey_NamesTheKey() =>
        Assert.Equal(["Control:GatewayKey must be at least 16 characters"], (Valid with { Datacenters = [Primary], GatewayKey = "short" }).Validate());

    [Fact]
    public void NoSites_IsRefused() => Assert.Contains((Valid with { Sites = [] }).Validate(), f => f.StartsWith("Control:Sites"));
}
