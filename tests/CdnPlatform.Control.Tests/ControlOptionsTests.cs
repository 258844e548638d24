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

    [Fact]
    public void NoSites_IsRefused() => Assert.Contains((Valid with { Sites = [] }).Validate(), f => f.StartsWith("Control:Sites"));
}
