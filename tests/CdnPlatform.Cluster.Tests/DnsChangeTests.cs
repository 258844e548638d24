using CdnPlatform.Cluster.Naming;

namespace CdnPlatform.Cluster.Tests;

/// <summary>Which names a change concerns: the apex and everything under it, nothing that merely ends alike.</summary>
public sealed class DnsChangeTests
{
    [Theory]
    [InlineData("shop.test.", "origin.shop.test", true)]
    [InlineData("shop.test.", "origin.shop.test.", true)]
    [InlineData("shop.test", "ORIGIN.Shop.Test", true)]
    [InlineData("shop.test.", "shop.test", true)]
    [InlineData("shop.test.", "a.b.shop.test", true)]
    [InlineData("shop.test.", "evilshop.test", false)]
    [InlineData("shop.test.", "shop.test.example", false)]
    [InlineData("shop.test.", "test", false)]
    public void Concerns_TheApexAndNamesUnderIt(string zone, string name, bool concerns) =>
        Assert.Equal(concerns, new DnsChange([zone], 1, DateTimeOffset.UnixEpoch).Concerns(name));

    [Fact]
    public void Concerns_ANameInAnyOfItsZones()
    {
        var change = new DnsChange(["blog.test.", "shop.test."], 1, DateTimeOffset.UnixEpoch);
        Assert.True(change.Concerns("origin.shop.test"));
        Assert.False(change.Concerns("origin.news.test"));
    }
}
