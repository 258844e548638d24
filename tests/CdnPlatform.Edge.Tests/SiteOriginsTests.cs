using System.Net;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Resolving;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A site's origin group as its names' answers change one at a time, in the order an edge may hear them: a flip
/// moves <c>origin.</c> and <c>standby.</c> in one zone serial, but the two answers arrive apart, and in between a
/// fetch must still have the datacenter that answered a moment ago to go to.
/// </summary>
public sealed class SiteOriginsTests
{
    private static readonly IPAddress A = IPAddress.Parse("127.0.31.1");
    private static readonly IPAddress B = IPAddress.Parse("127.0.31.2");
    private static readonly IPAddress C = IPAddress.Parse("127.0.31.3");
    private const string UrlA = "http://127.0.31.1:8080";
    private const string UrlB = "http://127.0.31.2:8080";
    private const string UrlC = "http://127.0.31.3:8080";

    private readonly Dictionary<string, WatchedName> _names = new(StringComparer.OrdinalIgnoreCase);

    private SiteOrigins Site(string origin, string? failover = null)
    {
        // Never asked: the test hands each name its answers, as the name's loop would.
        var lookup = new AddressLookup(new EdgeDnsOptions { Resolvers = ["127.0.0.1:9"] });
        WatchedName Watch(string host) => _names.TryGetValue(host, out var name) ? name
            : _names[host] = new WatchedName(host, lookup, TimeProvider.System, ResolvedName.DefaultMaxStale, (_, _) => { }, _ => { }, NullLogger.Instance);
        return new SiteOrigins(new Site(new SiteOptions { Name = "shop", Origin = origin, FailoverOrigin = failover ?? "" }), Watch);
    }

    private WatchedName Name(string host) => _names[host];

    // What OriginResolver does, under its change lock, when a name's addresses change.
    private void Answer(SiteOrigins site, string host, params IPAddress[] addresses)
    {
        var name = Name(host);
        var now = DateTimeOffset.UtcNow;
        var state = name.State.Answered(addresses, TimeSpan.FromSeconds(5), now, ResolvedName.DefaultMaxStale);
        site.Rebuild(name, state.Addresses);
        name.Publish(state);
    }

    private SiteOrigins FlippableSite()
    {
        var site = Site("http://origin.shop.test:8080", "http://standby.shop.test:8080");
        Answer(site, "origin.shop.test", A);
        Answer(site, "standby.shop.test", B);
        Assert.Equal(new OriginGroup([UrlA, UrlB], 1), site.Group, GroupComparer.Instance);
        return site;
    }

    [Fact]
    public void AFlipHeardStandbyFirst_KeepsTheDatacenterBeingLeftLast_UntilOriginAnswers()
    {
        var site = FlippableSite();

        Answer(site, "standby.shop.test", A);
        // Both names say A: B, which answered a moment ago, is still there to fail over to.
        Assert.Equal(new OriginGroup([UrlA, UrlB], 1), site.Group, GroupComparer.Instance);
        Assert.Equal([UrlB], site.Leftover);

        Answer(site, "origin.shop.test", B);
        Assert.Equal(new OriginGroup([UrlB, UrlA], 1), site.Group, GroupComparer.Instance);
        Assert.Empty(site.Leftover);
    }

    [Fact]
    public void AFlipHeardOriginFirst_KeepsTheOldPrimaryAsTheFailover_UntilStandbyAnswers()
    {
        var site = FlippableSite();

        Answer(site, "origin.shop.test", B);
        Assert.Equal(new OriginGroup([UrlB, UrlA], 1), site.Group, GroupComparer.Instance);

        Answer(site, "standby.shop.test", A);
        Assert.Equal(new OriginGroup([UrlB, UrlA], 1), site.Group, GroupComparer.Instance);
        Assert.Empty(site.Leftover);
    }

    [Fact]
    public void WhatLeftAnAnswer_IsDropped_OnceEveryOtherNameAnswersTheSame()
    {
        var site = FlippableSite();
        Answer(site, "standby.shop.test", A);

        site.Answered(Name("standby.shop.test"));
        Assert.Equal([UrlB], site.Leftover);
        site.Answered(Name("origin.shop.test"));

        // Both names agree that A is all there is.
        Assert.Equal(new OriginGroup([UrlA], 1), site.Group, GroupComparer.Instance);
        Assert.Empty(site.Leftover);
    }

    [Fact]
    public void ASiteOfOneName_KeepsNothingThatLeftItsAnswer()
    {
        var site = Site("http://origin.shop.test:8080");
        Answer(site, "origin.shop.test", A, C);

        Answer(site, "origin.shop.test", A);

        Assert.Equal(new OriginGroup([UrlA], 1), site.Group, GroupComparer.Instance);
        Assert.Empty(site.Leftover);
    }

    [Fact]
    public void AddressesThatLeftInTurn_AreAllKept_UntilTheOtherNameAnswers()
    {
        var site = FlippableSite();
        Answer(site, "standby.shop.test", A, C);
        Answer(site, "standby.shop.test", A);

        Assert.Equal(new OriginGroup([UrlA, UrlB, UrlC], 1), site.Group, GroupComparer.Instance);
        site.Answered(Name("origin.shop.test"));
        Assert.Equal(new OriginGroup([UrlA], 1), site.Group, GroupComparer.Instance);
    }

    /// <summary>Two groups are equal when they list the same addresses in the same order and fail over at the same place.</summary>
    private sealed class GroupComparer : IEqualityComparer<OriginGroup>
    {
        public static readonly GroupComparer Instance = new();

        public bool Equals(OriginGroup? x, OriginGroup? y) =>
            x is not null && y is not null && x.FailoverAt == y.FailoverAt && x.Addresses.SequenceEqual(y.Addresses);

        public int GetHashCode(OriginGroup group) => group.FailoverAt;
    }
}
