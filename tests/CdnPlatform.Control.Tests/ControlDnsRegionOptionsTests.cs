using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests;

public sealed class ControlDnsRegionOptionsTests
{
    private static readonly ControlOptions WithRegions = ControlDnsOptionsTests.WithDns with
    {
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }, new ControlEdgeOptions { Name = "nyc", Url = "http://127.0.10.2:8080" }],
        Dns = ControlDnsOptionsTests.WithDns.Dns with
        {
            Regions =
            [
                new ControlDnsRegionOptions { Name = "europe", Prefixes = ["127.0.0.0/8", "2001:db8:a::/48"], Pops = ["ams"] },
                new ControlDnsRegionOptions { Prefixes = ["198.51.100.0/24"], Pops = ["nyc", "ams"] },
            ],
        },
    };

    [Fact]
    public void RegionsOverTheEdges_AreValid()
    {
        Assert.Empty(WithRegions.Validate());
        Assert.Equal("Regions:1", WithRegions.Dns.Regions[1].DisplayName(1));
    }

    [Fact]
    public void EveryBadRegionSetting_IsNamedByItsKey()
    {
        var options = WithRegions with
        {
            Dns = WithRegions.Dns with
            {
                Regions =
                [
                    new ControlDnsRegionOptions { Prefixes = ["127.0.0.0/8", "10.0.0.0", "10.0.0.0/33", "198.51.100.7/24", "2001:db8::1/32"], Pops = ["ams", "lon"] },
                    new ControlDnsRegionOptions { Prefixes = ["127.0.0.0/8"], Pops = [] },
                    new ControlDnsRegionOptions { Prefixes = [], Pops = ["nyc"] },
                ],
                PopHealth = new ControlPopHealthOptions { ProbeSeconds = 0, DownAfter = 0, UpAfter = 101 },
            },
        };

        Assert.Equal(
            [
                "Control:Dns:Regions:0:Prefixes:1: '10.0.0.0' is not a network (address/length, e.g. 198.51.100.0/24 or 2001:db8::/32)",
                "Control:Dns:Regions:0:Prefixes:2: '10.0.0.0/33' is not a network (address/length, e.g. 198.51.100.0/24 or 2001:db8::/32)",
                "Control:Dns:Regions:0:Prefixes:3: '198.51.100.7/24' has bits set past its length; the network would be 198.51.100.0/24",
                "Control:Dns:Regions:0:Prefixes:4: '2001:db8::1/32' has bits set past its length; the network would be 2001:db8::/32",
                "Control:Dns:Regions:0:Pops:1: 'lon' is not a name of Control:Edges",
                "Control:Dns:Regions:1:Prefixes:0: 127.0.0.0/8 is already Control:Dns:Regions:0:Prefixes:0",
                "Control:Dns:Regions:1:Pops must name at least one edge of Control:Edges",
                "Control:Dns:Regions:2:Prefixes must name at least one client network, e.g. 198.51.100.0/24",
                "Control:Dns:PopHealth:ProbeSeconds must be 1..60, was 0",
                "Control:Dns:PopHealth:DownAfter must be 1..100, was 0",
                "Control:Dns:PopHealth:UpAfter must be 1..100, was 101",
            ],
            options.Validate());
    }

    [Fact]
    public void ABadRegion_StopsTheControlPlaneAtStartUp_NamingTheKey()
    {
        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ControlHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Control:ApiKey", "0123456789abcdef",
            "--Control:Sites:0:Name", "shop", "--Control:Sites:0:Hosts:0", "www.shop.test", "--Control:Sites:0:Zone", "shop.test",
            "--Control:Edges:0:Name", "ams", "--Control:Edges:0:Url", "http://127.0.10.1:8080",
            "--Control:Datacenters:0:Name", "primary", "--Control:Datacenters:0:Gateways:0", "http://127.0.21.1:8080",
            "--Control:Datacenters:0:Nodes:0", "primary-1", "--Control:GatewayKey", "gateway-key-0123456789",
            "--Control:Dns:Port", "8053", "--Control:Dns:Regions:0:Prefixes:0", "198.51.100.0/24", "--Control:Dns:Regions:0:Pops:0", "mars",
        ]));

        Assert.Contains("Control:Dns:Regions:0:Pops:0: 'mars' is not a name of Control:Edges", failure.Failures);
    }
}
