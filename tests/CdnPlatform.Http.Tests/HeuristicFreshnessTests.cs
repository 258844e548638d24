using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §4.2.2 heuristic freshness and RFC 9110 §15 status codes (http-cache-tests heuristic-freshness, status).</summary>
public sealed class HeuristicFreshnessTests
{
    private static readonly DateTimeOffset ResponseTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string At(int seconds) => HttpDate.Format(ResponseTime.AddSeconds(seconds));

    private static TimeSpan? Lifetime(int status, int lastModified, string? cacheControl = null, StringValues expires = default) =>
        FreshnessLifetime.ForSharedCache(new FreshnessInputs
        {
            CacheControl = CacheControl.Parse(cacheControl),
            StatusCode = status,
            Expires = expires,
            Date = At(0),
            LastModified = At(lastModified),
            ResponseTime = ResponseTime,
        });

    // heuristic-200-cached, -203, -204, -404, -405, -410, -414, -501
    [Theory]
    [InlineData(200)]
    [InlineData(203)]
    [InlineData(204)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(410)]
    [InlineData(414)]
    [InlineData(501)]
    public void HeuristicallyCacheableStatus_GetsTenPercentOfTheTimeSinceLastModified(int status)
    {
        Assert.Equal(TimeSpan.FromSeconds(8640), Lifetime(status, -86400));
    }

    // heuristic-201-not_cached, -202, -403, -502, -503, -504, -599
    [Theory]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(403)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void OtherStatus_GetsNoHeuristicLifetime(int status)
    {
        Assert.Null(Lifetime(status, -86400));
    }

    [Fact]
    public void OtherStatus_WithPublic_GetsAHeuristicLifetime() // heuristic-599-cached
    {
        Assert.Equal(TimeSpan.FromSeconds(8640), Lifetime(599, -86400, "public"));
    }

    [Fact]
    public void HeuristicLifetime_IsCappedAtOneDayByDefault()
    {
        Assert.Equal(TimeSpan.FromDays(1), Lifetime(200, -86400 * 365));
    }

    [Fact]
    public void HeuristicCapAndFraction_AreTheCallersToChoose()
    {
        var inputs = new FreshnessInputs
        {
            CacheControl = CacheControl.Empty,
            StatusCode = 200,
            Date = At(0),
            LastModified = At(-1000),
            ResponseTime = ResponseTime,
            HeuristicFraction = 0.5,
            HeuristicCap = TimeSpan.FromSeconds(300),
        };

        Assert.Equal(TimeSpan.FromSeconds(300), FreshnessLifetime.ForSharedCache(inputs));
        Assert.Equal(TimeSpan.FromSeconds(500), FreshnessLifetime.ForSharedCache(inputs with { HeuristicCap = TimeSpan.FromDays(1) }));
    }

    // heuristic-delta-600 .. -86400 (checks): 10% of the interval, so a few seconds only for recent changes.
    [Theory]
    [InlineData(-5, 0)]
    [InlineData(-60, 6)]
    [InlineData(-600, 60)]
    [InlineData(-3600, 360)]
    [InlineData(-43200, 4320)]
    public void HeuristicLifetime_GrowsWithTheTimeSinceLastModified(int lastModified, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Lifetime(200, lastModified));
    }

    [Fact]
    public void WithoutLastModified_NoHeuristicApplies()
    {
        Assert.Null(FreshnessLifetime.ForSharedCache(new FreshnessInputs { CacheControl = CacheControl.Empty, StatusCode = 200, ResponseTime = ResponseTime }));
    }

    [Fact]
    public void LastModifiedAfterDate_GivesNoLifetime()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(200, 60));
    }

    [Fact]
    public void WithoutDate_HeuristicIsMeasuredFromTheResponseTime()
    {
        var lifetime = FreshnessLifetime.ForSharedCache(new FreshnessInputs
        {
            CacheControl = CacheControl.Empty,
            StatusCode = 200,
            LastModified = At(-1000),
            ResponseTime = ResponseTime,
        });

        Assert.Equal(TimeSpan.FromSeconds(100), lifetime);
    }

    [Theory]
    [InlineData("max-age=oops")]
    [InlineData("max-age=0")]
    public void ExplicitOrInvalidFreshness_LeavesNoRoomForHeuristics(string cacheControl)
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(200, -86400, cacheControl));
    }

    [Fact]
    public void InvalidExpires_LeavesNoRoomForHeuristics()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(200, -86400, expires: "0"));
    }

    [Fact]
    public void TwoLastModifiedLines_GiveNoHeuristic()
    {
        var lifetime = FreshnessLifetime.ForSharedCache(new FreshnessInputs
        {
            CacheControl = CacheControl.Empty,
            StatusCode = 200,
            Date = At(0),
            LastModified = new StringValues([At(-86400), At(-3600)]),
            ResponseTime = ResponseTime,
        });

        Assert.Null(lifetime);
    }

    // status-{200,203,204,299,301,302,303,307,308,400,404,410,499,500,502,503,504,599}-fresh/-stale: an explicit
    // Expires gives the lifetime whatever the status.
    [Theory]
    [InlineData(200)]
    [InlineData(203)]
    [InlineData(204)]
    [InlineData(299)]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void ExplicitExpires_AppliesToAnyStatus(int status)
    {
        Assert.Equal(TimeSpan.FromSeconds(100000), Lifetime(status, 0, expires: At(100000)));
        Assert.Equal(TimeSpan.Zero, Lifetime(status, -100000, expires: At(-5000)));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(206, true)]
    [InlineData(300, true)]
    [InlineData(301, true)]
    [InlineData(308, true)]
    [InlineData(201, false)]
    [InlineData(302, false)]
    [InlineData(307, false)]
    [InlineData(403, false)]
    [InlineData(500, false)]
    [InlineData(599, false)]
    public void IsHeuristicallyCacheable_FollowsRfc9110(int status, bool expected)
    {
        Assert.Equal(expected, FreshnessLifetime.IsHeuristicallyCacheable(status));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(203, true)]
    [InlineData(204, true)]
    [InlineData(206, true)]
    [InlineData(300, true)]
    [InlineData(301, true)]
    [InlineData(302, true)]
    [InlineData(303, true)]
    [InlineData(304, true)]
    [InlineData(307, true)]
    [InlineData(308, true)]
    [InlineData(404, true)]
    [InlineData(405, true)]
    [InlineData(410, true)]
    [InlineData(414, true)]
    [InlineData(501, true)]
    [InlineData(503, true)]
    [InlineData(299, false)] // status-599-must-understand's kin: unregistered codes are not understood
    [InlineData(306, false)]
    [InlineData(499, false)]
    [InlineData(599, false)]
    [InlineData(100, false)]
    public void IsUnderstoodStatus_CoversTheRfc9110FinalCodes(int status, bool expected)
    {
        Assert.Equal(expected, FreshnessLifetime.IsUnderstoodStatus(status));
    }
}
