using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Keys;

namespace CdnPlatform.Caching.Tests;

/// <summary>Concurrent misses for one URL made into one origin request: one leader, followers wake with its outcome.</summary>
public sealed class RequestCoalescerTests
{
    private static readonly CacheKey Key = CacheKey.Create("http", "example.com", "/a");

    [ThreadStatic]
    private static bool t_landing;

    [Fact]
    public void Coalescer_FirstCallerLeads()
    {
        var coalescer = new RequestCoalescer();

        Assert.True(coalescer.TryLead(Key, out var flight));
        Assert.NotNull(flight);
        Assert.False(flight.Landed.IsCompleted);
        Assert.Equal(1, coalescer.InFlight);
    }

    [Fact]
    public async Task Coalescer_SecondCallerFollows_AndWakesWithLeadersOutcome()
    {
        var coalescer = new RequestCoalescer();
        coalescer.TryLead(Key, out var leading);

        Assert.False(coalescer.TryLead(Key, out var following));
        Assert.Same(leading, following);
        Assert.False(following.Landed.IsCompleted);

        coalescer.Land(Key, leading, FlightOutcome.NotShareable);

        Assert.Equal(FlightOutcome.NotShareable, await following.Landed);
    }

    [Theory]
    [InlineData(FlightOutcome.Stored)]
    [InlineData(FlightOutcome.NotShareable)]
    [InlineData(FlightOutcome.Failed)]
    public async Task Coalescer_EveryFollowerWakesWithTheSameOutcome(FlightOutcome outcome)
    {
        var coalescer = new RequestCoalescer();
        coalescer.TryLead(Key, out var leading);
        var followers = Enumerable.Range(0, 5).Select(_ => { coalescer.TryLead(Key, out var f); return f.Landed; }).ToArray();

        coalescer.Land(Key, leading, outcome);

        Assert.All(await Task.WhenAll(followers), o => Assert.Equal(outcome, o));
    }

    [Fact]
    public void Coalescer_AfterLanding_TheNextCallerLeadsANewFlight()
    {
        var coalescer = new RequestCoalescer();
        coalescer.TryLead(Key, out var first);
        coalescer.Land(Key, first, FlightOutcome.Stored);

        Assert.Equal(0, coalescer.InFlight);
        Assert.True(coalescer.TryLead(Key, out var second));
        Assert.NotSame(first, second);
        Assert.False(second.Landed.IsCompleted);
    }

    [Fact]
    public void Coalescer_DifferentKeys_FlyIndependently()
    {
        var coalescer = new RequestCoalescer();
        var other = CacheKey.Create("http", "example.com", "/b");

        Assert.True(coalescer.TryLead(Key, out var a));
        Assert.True(coalescer.TryLead(other, out var b));
        Assert.NotSame(a, b);
        Assert.Equal(2, coalescer.InFlight);

        coalescer.Land(Key, a, FlightOutcome.Stored);
        Assert.False(b.Landed.IsCompleted);
        Assert.Equal(1, coalescer.InFlight);
    }

    [Fact]
    public async Task Coalescer_LandingAnOldFlight_LeavesTheCurrentOneInPlace()
    {
        var coalescer = new RequestCoalescer();
        coalescer.TryLead(Key, out var old);
        coalescer.Land(Key, old, FlightOutcome.Failed);
        coalescer.TryLead(Key, out var current);

        coalescer.Land(Key, old, FlightOutcome.Stored); // a late, duplicate landing

        Assert.Equal(1, coalescer.InFlight);
        Assert.False(coalescer.TryLead(Key, out var follower));
        Assert.Same(current, follower);
        Assert.False(current.Landed.IsCompleted);
        Assert.Equal(FlightOutcome.Failed, await old.Landed); // the first outcome stands
    }

    [Fact]
    public async Task Coalescer_FollowersContinuations_DoNotRunInsideTheLeadersLand()
    {
        var coalescer = new RequestCoalescer();
        coalescer.TryLead(Key, out var flight);
        var ranInsideLand = flight.Landed.ContinueWith(_ => t_landing, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        t_landing = true;
        try
        {
            coalescer.Land(Key, flight, FlightOutcome.Stored);
        }
        finally
        {
            t_landing = false;
        }

        Assert.False(await ranInsideLand);
    }

    [Fact]
    public void Coalescer_ConcurrentTryLeadOnOneKey_YieldsExactlyOneLeader()
    {
        for (var round = 0; round < 100; round++)
        {
            var coalescer = new RequestCoalescer();
            var results = new (bool Leads, Flight Flight)[8];
            Concurrently.Run(results.Length, i =>
            {
                var leads = coalescer.TryLead(Key, out var flight);
                results[i] = (leads, flight);
            });

            Assert.Single(results, r => r.Leads);
            Assert.Single(results.Select(r => r.Flight).Distinct());
            Assert.Equal(1, coalescer.InFlight);
        }
    }
}
