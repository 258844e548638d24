using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Tests;

/// <summary>What the edge does with the origin's answer, from its status and the stored entry (RFC 9111 §4.2.4, §4.3.3; RFC 5861).</summary>
public sealed class OriginAnswerPolicyTests
{
    private static readonly DateTimeOffset Stored = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan Seconds(int s) => TimeSpan.FromSeconds(s);

    // Stored at Stored with a minute of freshness; the cases ask at Stored + secondsLater.
    private static CacheEntry Entry(bool forbidsStale = false, bool requiresRevalidation = false, int staleIfError = 0) => new()
    {
        Key = CacheKey.FromUrl(new Uri("http://example.com/a")),
        StatusCode = 200,
        Headers = [],
        Body = new byte[1],
        ResponseTime = Stored,
        CorrectedInitialAge = TimeSpan.Zero,
        FreshnessLifetime = Seconds(60),
        ETag = "\"v1\"",
        ForbidsStale = forbidsStale,
        RequiresRevalidation = requiresRevalidation,
        StaleIfError = Seconds(staleIfError),
    };

    public static TheoryData<string, int?, bool, bool, int, OriginAnswer> Cases => new()
    {
        // what, origin status, have a stored entry, revalidating, seconds after storing, answer
        { "a plain 200 goes to the visitor", 200, false, false, 0, OriginAnswer.Use },
        { "a new 200 replaces a stale entry", 200, true, true, 120, OriginAnswer.Use },
        { "a 304 to our validators confirms the entry", 304, true, true, 120, OriginAnswer.Validated },
        { "a 304 to a pass is the visitor's own", 304, true, false, 120, OriginAnswer.Use },
        { "a 304 with nothing stored is passed on", 304, false, true, 0, OriginAnswer.Use },
        { "a 503 on a miss reaches the visitor", 503, false, false, 0, OriginAnswer.Use },
        { "a 503 while the entry is fresh: the entry answers", 503, true, true, 30, OriginAnswer.StaleIfError },
        { "a 404 is an answer, not an error", 404, true, true, 120, OriginAnswer.Use },
        { "unreachable with nothing stored", null, false, false, 0, OriginAnswer.Unreachable },
        { "unreachable: a stale entry stands in", null, true, true, 120, OriginAnswer.StaleWhenUnreachable },
        { "unreachable: too stale to stand in", null, true, true, 60 + 3601, OriginAnswer.Unreachable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify(string what, int? originStatus, bool haveStored, bool revalidates, int secondsLater, OriginAnswer expected)
    {
        var stored = haveStored ? Entry() : null;

        var answer = OriginAnswerPolicy.Classify(originStatus, stored, revalidates, Stored + Seconds(secondsLater), TimeSpan.Zero, Seconds(3600));

        Assert.True(expected == answer, $"{what}: expected {expected}, got {answer}");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public void Classify_ServerErrorWithinStaleIfError_LetsTheStaleEntryAnswer(int status)
    {
        var entry = Entry(staleIfError: 300);

        Assert.Equal(OriginAnswer.StaleIfError, OriginAnswerPolicy.Classify(status, entry, true, Stored + Seconds(60 + 299), TimeSpan.Zero, TimeSpan.Zero));
        Assert.Equal(OriginAnswer.Use, OriginAnswerPolicy.Classify(status, entry, true, Stored + Seconds(60 + 301), TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void Classify_SiteStaleIfError_AppliesWhenTheResponseSetsNone()
    {
        var entry = Entry();

        Assert.Equal(OriginAnswer.StaleIfError, OriginAnswerPolicy.Classify(503, entry, true, Stored + Seconds(90), Seconds(60), TimeSpan.Zero));
        Assert.Equal(OriginAnswer.Use, OriginAnswerPolicy.Classify(503, entry, true, Stored + Seconds(90), TimeSpan.Zero, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Classify_MustRevalidateOrNoCache_NeverStandsIn(bool forbidsStale, bool requiresRevalidation)
    {
        var entry = Entry(forbidsStale: forbidsStale, requiresRevalidation: requiresRevalidation, staleIfError: 600);
        var later = Stored + Seconds(120);

        Assert.Equal(OriginAnswer.Use, OriginAnswerPolicy.Classify(503, entry, true, later, Seconds(600), Seconds(3600)));
        Assert.Equal(OriginAnswer.Unreachable, OriginAnswerPolicy.Classify(null, entry, true, later, Seconds(600), Seconds(3600)));
    }
}
