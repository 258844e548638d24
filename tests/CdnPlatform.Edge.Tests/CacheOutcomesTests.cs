using CdnPlatform.Edge.Observability;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Tests;

/// <summary>The outcome counted for each kind of Cache-Status member the edge writes.</summary>
public sealed class CacheOutcomesTests
{
    public static TheoryData<string?, string> Members => new()
    {
        { CacheStatus.ForHit(TimeSpan.FromSeconds(299)).ToString(), "hit" },
        { CacheStatus.ForHit(TimeSpan.FromSeconds(-3)).ToString(), "stale" },
        { (CacheStatus.ForHit(TimeSpan.Zero) with { Detail = "stale-while-revalidate" }).ToString(), "stale" },
        { (CacheStatus.ForHit(TimeSpan.Zero) with { Collapsed = true }).ToString(), "collapsed" },
        { (CacheStatus.ForHit(TimeSpan.Zero) with { Collapsed = true, Detail = "streamed from fill" }).ToString(), "collapsed" },
        { (CacheStatus.ForForward(ForwardReason.UriMiss) with { ForwardStatus = 200, Stored = true }).ToString(), "miss" },
        { (CacheStatus.ForForward(ForwardReason.VaryMiss) with { ForwardStatus = 200 }).ToString(), "miss" },
        { (CacheStatus.ForForward(ForwardReason.Stale) with { ForwardStatus = 304 }).ToString(), "miss" },
        { (CacheStatus.ForForward(ForwardReason.Stale) with { ForwardStatus = 503, Detail = "stale-if-error" }).ToString(), "stale" },
        { (CacheStatus.ForForward(ForwardReason.UriMiss) with { Detail = "origin unreachable, served stale" }).ToString(), "stale" },
        { (CacheStatus.ForForward(ForwardReason.UriMiss) with { Detail = "origin unreachable" }).ToString(), "miss" },
        { (CacheStatus.ForForward(ForwardReason.Method) with { ForwardStatus = 201 }).ToString(), "pass" },
        { (CacheStatus.ForForward(ForwardReason.Request) with { ForwardStatus = 200 }).ToString(), "pass" },
        { CacheStatus.ForGenerated("only-if-cached").ToString(), "generated" },
        { null, "generated" },
        // Another cache's member, should ours be missing: not ours to count as anything but generated.
        { "OtherCache; hit", "generated" },
    };

    [Theory]
    [MemberData(nameof(Members))]
    public void Each_member_counts_as_what_the_edge_did(string? member, string expected) =>
        Assert.Equal(expected, CacheOutcomes.Token(CacheOutcomes.FromMember(member)));
}
