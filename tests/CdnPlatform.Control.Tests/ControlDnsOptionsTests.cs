using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ControlDnsOptionsTests
{
    /// <summary>Valid options serving DNS over a small topology: one site with a zone, one edge, one datacenter.</summary>
    internal static readonly ControlOptions WithDns = new()
    {
        ApiKey = "0123456789abcdef",
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"], Zone = "shop.test" }],
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
        Datacenters = [new ControlDatacenterOptions { Name = "primary", Gateways = ["http://127.0.21.1:8080"], Nodes = ["primary-1"] }],
        GatewayKey = "gateway-key-0123456789",
        Dns = new ControlDnsOptions { Port = 8053 },
    };

    [Fact]
    public void DnsOverTheTopology_IsValid() => Assert.Empty(WithDns.Validate());

    [Fact]
    public void Dns_WithoutDatacenters_SaysWhatItNeeds() =>
        Assert.Contains("Control:Dns needs Control:Datacenters, whose gateways origin. points at",
            (WithDns with { Datacenters = [], GatewayKey = "" }).Validate());

    [Fact]
    public void Dns_NamesEveryBadKey()
    {
        var options = WithDns with
        {
            Sites = [WithDns.Sites[0] with { Zone = "shop..test", OriginTtlSeconds = 0 }],
            Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://edge-ams:8080" }],
            Datacenters = [WithDns.Datacenters[0] with { Gateways = ["http://gateway-primary-1:8080"] }],
            Dns = new ControlDnsOptions { Port = 70000, Address = "localhost", ActiveDatacenter = "dr" },
        };

        Assert.Equal(
            [
                "Control:Dns:Port must be 0..65535, was 70000",
                "Control:Dns:Address: 'localhost' is not an IP address",
                "Control:Dns:ActiveDatacenter: 'dr' is not a name of Control:Datacenters",
                "Control:Datacenters:0:Gateways:0: DNS needs an IP address in 'http://gateway-primary-1:8080'",
                "Control:Edges:0:Url: DNS needs an IP address in 'http://edge-ams:8080'",
                "Control:Sites:0:Zone: 'shop..test' is not a DNS name (letters, digits, '-', dots between labels)",
                "Control:Sites:0:OriginTtlSeconds must be 1..86400, was 0",
            ],
            options.Validate().Where(f => f.Contains("Dns") || f.Contains("DNS") || f.Contains("Zone") || f.Contains("OriginTtl")));
    }

    [Fact]
    public void WithoutAPort_HostNamesAreFine_NothingIsPublished() =>
        Assert.Empty((WithDns with
        {
            Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://edge-ams:8080" }],
            Dns = new ControlDnsOptions(),
        }).Validate());
}
