using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class ControlFailoverOptionsTests
{
    private static readonly ControlOptions Valid = new()
    {
        ApiKey = "0123456789abcdef",
        Sites = [new ControlSiteOptions { Name = "shop", Hosts = ["www.shop.test"] }],
        Edges = [new ControlEdgeOptions { Name = "ams", Url = "http://127.0.10.1:8080" }],
        Datacenters = [new ControlDatacenterOptions { Name = "primary", Gateways = ["http://127.0.21.1:8080"], Nodes = ["primary-1"], Redis = "127.0.0.1:6379" }],
        GatewayKey = "gateway-key-0123456789",
    };

    [Fact]
    public void Defaults_AreValid_AndFindADeadDatacenterInAboutASecondAndAHalf()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(1500, Valid.Failover.ProbeMilliseconds * Valid.Failover.FailAfter);
    }

    [Fact]
    public void EveryBadKey_IsNamed()
    {
        var options = Valid with
        {
            Datacenters = [Valid.Datacenters[0] with { Redis = "127.0.0.1:6379,connectTimeout=soon" }],
            Failover = new ControlFailoverOptions { ProbeMilliseconds = 10, FailAfter = 0, RecoverAfter = 101, ResyncMilliseconds = -1 },
        };

        var failures = options.Validate().ToList();

        Assert.Contains(failures, f => f.StartsWith("Control:Datacenters:0:Redis: ", StringComparison.Ordinal) && f.Contains("connectTimeout"));
        Assert.Contains("Control:Failover:ProbeMilliseconds must be 50..60000, was 10", failures);
        Assert.Contains("Control:Failover:FailAfter must be 1..100, was 0", failures);
        Assert.Contains("Control:Failover:RecoverAfter must be 1..100, was 101", failures);
        Assert.Contains("Control:Failover:ResyncMilliseconds must be 0..60000, was -1", failures);
    }

    [Fact]
    public void Automatic_IsOffByDefault_AndNeedsASecondDatacenterAndEdges()
    {
        Assert.False(Valid.Failover.Automatic);
        var automatic = Valid with { Failover = new ControlFailoverOptions { Automatic = true } };

        Assert.Contains("Control:Failover:Automatic needs at least two Control:Datacenters, one to fail over to", automatic.Validate());
        Assert.Contains("Control:Failover:Automatic needs Control:Edges: no datacenter is declared down without edges to confirm it",
            (automatic with { Edges = [] }).Validate());
        Assert.Empty((automatic with { Datacenters = [Valid.Datacenters[0], Valid.Datacenters[0] with { Name = "dr", Gateways = ["http://127.0.22.1:8080"] }] })
            .Validate());
    }

    [Fact]
    public void ARedisStringWithoutAnEndpoint_IsRefused() =>
        Assert.Contains("Control:Datacenters:0:Redis: names no endpoint",
            (Valid with { Datacenters = [Valid.Datacenters[0] with { Redis = "abortConnect=false" }] }).Validate());
}
