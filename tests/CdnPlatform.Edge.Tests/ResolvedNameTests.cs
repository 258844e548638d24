using System.Net;
using CdnPlatform.Edge.Resolving;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>The RFC 8767 rules of one origin name: fresh for the TTL, stale while every resolver fails, dropped after max stale.</summary>
public sealed class ResolvedNameTests
{
    private static readonly IPAddress A = IPAddress.Parse("127.0.31.1");
    private static readonly IPAddress B = IPAddress.Parse("127.0.31.2");
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    private ResolvedName AnsweredA(int ttlSeconds = 5, TimeSpan? maxStale = null) =>
        ResolvedName.Unresolved(Now).Answered([A], TimeSpan.FromSeconds(ttlSeconds), Now, maxStale ?? Day);

    [Fact]
    public void NewName_IsUnresolved_AndDueAtOnce()
    {
        var name = ResolvedName.Unresolved(Now);

        Assert.Equal(NameState.Unresolved, name.StateAt(Now));
        Assert.Empty(name.Addresses);
        Assert.Equal(Now, name.RefreshAt);
    }

    [Fact]
    public void Answer_IsFresh_ForItsTtl_AndStaleAfter()
    {
        var name = AnsweredA(ttlSeconds: 5);

        Assert.Equal([A], name.Addresses);
        Assert.Equal(NameState.Fresh, name.StateAt(Now + TimeSpan.FromSeconds(4.999)));
        Assert.Equal(NameState.Stale, name.StateAt(Now + TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(5, 4.5)]
    [InlineData(300, 270)]
    public void Answer_IsAskedForAgain_WhenATenthOfItsTtlIsLeft(int ttl, double refreshAfter)
    {
        var name = AnsweredA(ttl);

        Assert.Equal(Now + TimeSpan.FromSeconds(refreshAfter), name.RefreshAt);
    }

    [Fact]
    public void ZeroTtl_CountsForOneSecond_SoTheEdgeDoesNotAskWithoutPause()
    {
        var name = AnsweredA(ttlSeconds: 0);

        Assert.Equal(Now + ResolvedName.MinTtl, name.FreshUntil);
        Assert.True(name.RefreshAt > Now);
    }

    [Fact]
    public void FailedEarlyRefresh_KeepsTheAnswerFresh_AndTriesOnceMoreWhenItRunsOut()
    {
        var answered = AnsweredA(ttlSeconds: 5);
        _clock.Advance(TimeSpan.FromSeconds(4.5));

        var failed = answered.Failed(Now);

        Assert.Equal(NameState.Fresh, failed.StateAt(Now));
        Assert.Equal([A], failed.Addresses);
        Assert.Equal(answered.FreshUntil, failed.RefreshAt);
        Assert.Equal(1, failed.Failures);
    }

    [Fact]
    public void EveryResolverFailing_AfterTheTtl_ServesStale_AskingAgainEvery30Seconds()
    {
        var name = AnsweredA(ttlSeconds: 5);
        _clock.Advance(TimeSpan.FromSeconds(5));

        name = name.Failed(Now);
        Assert.Equal(NameState.Stale, name.StateAt(Now));
        Assert.Equal([A], name.Addresses);
        Assert.Equal(Now + TimeSpan.FromSeconds(30), name.RefreshAt);

        _clock.Advance(TimeSpan.FromSeconds(30));
        name = name.Failed(Now);
        Assert.Equal([A], name.Addresses);
        Assert.Equal(Now + ResolvedName.StaleTtl, name.RefreshAt);
        Assert.Equal(2, name.Failures);
    }

    [Fact]
    public void StaleAddresses_AreKeptForADay_AndDroppedAtTheFirstFailureAfter()
    {
        var name = AnsweredA(ttlSeconds: 5);
        var freshUntil = name.FreshUntil;
        _clock.Advance(TimeSpan.FromSeconds(5));
        name = name.Failed(Now);
        while (name.Addresses.Count > 0)
        {
            Assert.True(name.RefreshAt <= freshUntil + Day, "a lookup is due before the stale period ends");
            _clock.AdjustTime(name.RefreshAt);
            name = name.Failed(Now);
        }

        Assert.Equal(freshUntil + Day, Now);
        Assert.Equal(NameState.Unresolved, name.StateAt(Now));
        Assert.Equal(Now + ResolvedName.UnresolvedRetry, name.RefreshAt);
    }

    [Fact]
    public void TheLastStaleRetry_LandsOnTheEndOfTheStalePeriod()
    {
        var name = AnsweredA(ttlSeconds: 5, maxStale: TimeSpan.FromSeconds(45));
        _clock.Advance(TimeSpan.FromSeconds(5));

        name = name.Failed(Now);
        _clock.Advance(TimeSpan.FromSeconds(30));
        name = name.Failed(Now);

        Assert.Equal(name.StaleUntil, name.RefreshAt);
        Assert.Equal(Now + TimeSpan.FromSeconds(15), name.RefreshAt);
    }

    [Fact]
    public void MaxStaleOfZero_DropsTheAddressesAtTheFirstFailureAfterTheTtl()
    {
        var name = AnsweredA(ttlSeconds: 5, maxStale: TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromSeconds(5));

        name = name.Failed(Now);

        Assert.Equal(NameState.Unresolved, name.StateAt(Now));
        Assert.Empty(name.Addresses);
    }

    [Fact]
    public void AnAnswerWhileStale_ReplacesTheAddresses_AndEndsTheFailures()
    {
        var name = AnsweredA(ttlSeconds: 5);
        _clock.Advance(TimeSpan.FromSeconds(5));
        name = name.Failed(Now);
        _clock.Advance(TimeSpan.FromSeconds(30));

        name = name.Answered([B, A], TimeSpan.FromSeconds(5), Now, Day);

        Assert.Equal(NameState.Fresh, name.StateAt(Now));
        Assert.Equal([B, A], name.Addresses);
        Assert.Equal(0, name.Failures);
        Assert.Equal(Now, name.AnsweredAt);
    }

    [Fact]
    public void NoSuchName_IsAnAnswer_WithoutAddresses_AndIsNotServedStale()
    {
        var name = AnsweredA(ttlSeconds: 5).Answered([], TimeSpan.FromSeconds(30), Now, Day);

        Assert.Equal(NameState.Fresh, name.StateAt(Now));
        Assert.Empty(name.Addresses);
        _clock.Advance(TimeSpan.FromSeconds(30));
        name = name.Failed(Now);
        Assert.Equal(NameState.Unresolved, name.StateAt(Now));
        Assert.Empty(name.Addresses);
    }

    [Fact]
    public void AnUnresolvedName_IsAskedAgainEverySecond_WhileLookupsFail()
    {
        var name = ResolvedName.Unresolved(Now).Failed(Now);

        Assert.Equal(NameState.Unresolved, name.StateAt(Now));
        Assert.Equal(Now + ResolvedName.UnresolvedRetry, name.RefreshAt);
        _clock.Advance(ResolvedName.UnresolvedRetry);
        name = name.Failed(Now);
        Assert.Equal(Now + ResolvedName.UnresolvedRetry, name.RefreshAt);
        Assert.Equal(2, name.Failures);
    }
}
