using CdnPlatform.Caching.Eviction;

namespace CdnPlatform.Caching.Tests.Eviction;

/// <summary>CLOCK: one queue in the order URLs were first stored, one second chance for a URL hit since its last turn.</summary>
public sealed class ClockEvictionTests : EvictionTests
{
    protected override EvictionPolicy Policy => EvictionPolicy.Clock;

    [Fact]
    public void Eviction_SecondChanceIsSpent_AnUnhitUrlGoesOnItsNextTurn()
    {
        var a = Make("a");
        var store = StoreHolding(2, a, Make("b"));
        Hit(store, a);
        store.TryStore(Make("c")); // a is spared (its flag taken), b goes; queue: a, c

        Assert.True(store.TryStore(Make("d")));

        Assert.False(store.Contains(a.Key)); // no hit since its last turn
        Assert.Equal(2, store.Evictions);
    }
}
