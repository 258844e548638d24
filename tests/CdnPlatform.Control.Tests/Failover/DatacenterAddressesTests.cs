using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

public sealed class DatacenterAddressesTests
{
    [Theory]
    [InlineData("http://127.0.21.1:8080", "primary")]
    [InlineData("http://127.0.21.1:8080/", "primary")]
    [InlineData("HTTP://127.0.21.2:8080/shop", "primary")]
    [InlineData("http://127.0.22.1:8080", "dr")]
    // Same host, another port or scheme: another server.
    [InlineData("http://127.0.21.1:8081", null)]
    [InlineData("https://127.0.21.1:8080", null)]
    [InlineData("http://127.0.23.1:8080", null)]
    [InlineData("not a url", null)]
    public void AnAddress_BelongsToTheDatacenterWhoseGatewayItIs(string url, string? datacenter) =>
        Assert.Equal(datacenter, new DatacenterAddresses(
        [
            new ControlDatacenterOptions { Name = "primary", Gateways = ["http://127.0.21.1:8080", "http://127.0.21.2:8080"] },
            new ControlDatacenterOptions { Name = "dr", Gateways = ["http://127.0.22.1:8080/"] },
        ]).Find(url));
}
