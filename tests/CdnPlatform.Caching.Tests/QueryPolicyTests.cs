using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Tests;

/// <summary>A site's query normalization for cache keys: dropped parameters (exact or <c>prefix*</c>) and optional sorting.</summary>
public sealed class QueryPolicyTests
{
    [Fact]
    public void QueryPolicy_Verbatim_ReturnsTheQueryUnchanged()
    {
        Assert.True(QueryPolicy.Verbatim.IsVerbatim);
        Assert.Equal("?b=2&utm_source=x&a=1", QueryPolicy.Verbatim.Normalize("?b=2&utm_source=x&a=1"));
    }

    [Fact]
    public void QueryPolicy_DropsUtmByPrefix_AndSorts()
    {
        var policy = new QueryPolicy(["utm_*"], sort: true);

        Assert.Equal("?a=1&b=2", policy.Normalize("?utm_source=news&b=2&utm_medium=mail&a=1"));
    }

    [Fact]
    public void QueryPolicy_ExactName_DropsOnlyThatName()
    {
        var policy = new QueryPolicy(["gclid"], sort: false);

        Assert.Equal("?gclid2=y&x=1&GCLID=z", policy.Normalize("?gclid=abc&gclid2=y&x=1&GCLID=z"));
    }

    [Fact]
    public void QueryPolicy_WithoutSort_KeepsTheOrderOfWhatRemains()
    {
        var policy = new QueryPolicy(["fbclid"], sort: false);

        Assert.Equal("?z=1&a=2", policy.Normalize("?z=1&fbclid=q&a=2"));
        Assert.False(policy.IsVerbatim);
    }

    [Fact]
    public void QueryPolicy_SortOnly_OrdersParametersOrdinally()
    {
        var policy = new QueryPolicy([], sort: true);

        Assert.False(policy.IsVerbatim);
        Assert.Equal("?B=0&a=2&b=1", policy.Normalize("?b=1&a=2&B=0"));
    }

    [Fact]
    public void QueryPolicy_SortMakesReorderedQueriesShareAKey()
    {
        var policy = new QueryPolicy([], sort: true);

        Assert.Equal(policy.Normalize("?a=1&b=2"), policy.Normalize("?b=2&a=1"));
    }

    [Fact]
    public void QueryPolicy_EveryParameterDropped_LeavesNoQuery()
    {
        var policy = new QueryPolicy(["utm_*", "gclid"], sort: false);

        Assert.Equal("", policy.Normalize("?utm_source=x&gclid=1"));
    }

    [Fact]
    public void QueryPolicy_EmptyQuery_StaysEmpty()
    {
        Assert.Equal("", new QueryPolicy(["utm_*"], sort: true).Normalize(""));
    }

    [Fact]
    public void QueryPolicy_ValuesKeepTheirEncoding_AndParametersWithoutValueSurvive()
    {
        var policy = new QueryPolicy(["utm_*"], sort: false);

        Assert.Equal("?q=a%2Fb+c&flag&e=", policy.Normalize("?q=a%2Fb+c&utm_id=1&flag&e="));
    }

    [Fact]
    public void QueryPolicy_MatchesTheNameOnly_NotTheValue()
    {
        var policy = new QueryPolicy(["utm_*", "ref"], sort: false);

        Assert.Equal("?x=utm_source&y=ref", policy.Normalize("?x=utm_source&y=ref&ref=utm_a"));
    }

    [Fact]
    public void QueryPolicy_EmptySegments_AreDropped()
    {
        var policy = new QueryPolicy(["utm_*"], sort: false);

        Assert.Equal("?a=1&b=2", policy.Normalize("?&a=1&&b=2&"));
    }

    [Fact]
    public void QueryPolicy_RepeatedParameters_AreAllKept()
    {
        var policy = new QueryPolicy(["utm_*"], sort: true);

        Assert.Equal("?a=1&a=2&tag=x", policy.Normalize("?tag=x&a=2&utm_term=t&a=1"));
    }

    [Fact]
    public void QueryPolicy_NormalizedQuery_MakesTheSameCacheKey()
    {
        var policy = new QueryPolicy(["utm_*"], sort: true);

        var fromCampaign = CacheKey.Create("https", "example.com", "/p" + policy.Normalize("?utm_campaign=spring&id=7&color=red"));
        var direct = CacheKey.Create("https", "example.com", "/p" + policy.Normalize("?color=red&id=7"));

        Assert.Equal(direct, fromCampaign);
    }
}
