using System.Net;
using CdnPlatform.Caching.Eviction;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Edge.Tests;

/// <summary><c>Edge:Eviction</c>: which policy the edge's cache evicts with, S3-FIFO unless told otherwise.</summary>
public sealed class EvictionOptionTests
{
    private static readonly string[] Valid = ["--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
                                              "--Edge:Sites:0:Origin", "http://127.0.0.1:1"];

    private static EdgeOptions Bind(params string[] args) => EdgeOptions.Bind(new ConfigurationBuilder().AddCommandLine([.. Valid, .. args]).Build());

    [Fact]
    public void Unset_IsS3Fifo() => Assert.Equal(EvictionPolicy.S3Fifo, Bind().EvictionPolicy);

    [Theory]
    [InlineData("Clock", EvictionPolicy.Clock)]
    [InlineData("clock", EvictionPolicy.Clock)]
    [InlineData("S3FIFO", EvictionPolicy.S3Fifo)]
    public void APolicyName_InAnyCase_Binds(string value, EvictionPolicy policy) => Assert.Equal(policy, Bind("--Edge:Eviction", value).EvictionPolicy);

    [Theory]
    [InlineData("lru")]
    [InlineData("1")]
    [InlineData("S3Fifo,Clock")]
    [InlineData("")]
    public void AnythingElse_StopsStartup_NamingTheKeyAndTheChoices(string value)
    {
        var failures = EdgeFixture.StartupFailures([.. Valid, "--Edge:Eviction", value]);

        Assert.Contains($"Edge:Eviction must be one of S3Fifo, Clock, was '{value}'", failures);
    }

    [Fact]
    public async Task TheEdgesStore_EvictsWithThePolicyChosen()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:Eviction", "Clock");

        using var first = await f.GetAsync("/page");
        using var second = await f.GetAsync("/page");

        Assert.Equal(EvictionPolicy.Clock, f.Edge.Services.GetRequiredService<MemoryCacheStore>().Eviction);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.StartsWith("CdnPlatform; hit", second.CacheStatus());
    }
}
