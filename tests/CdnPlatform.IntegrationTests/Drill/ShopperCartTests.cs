using CdnPlatform.Cli.Drill;
using CdnPlatform.Client;

namespace CdnPlatform.IntegrationTests.Drill;

public sealed class ShopperCartTests
{
    [Fact]
    public void An_EmptyLine_IsAdded_AndAnAddedLine_IsRemoved()
    {
        var cart = new ShopperCart();
        Assert.Equal(1, cart.NextQuantity(110));
        cart.Acknowledged(110, 1);
        Assert.Equal(0, cart.NextQuantity(110));
        cart.Acknowledged(110, 0);
        Assert.Equal(1, cart.NextQuantity(110));
    }

    [Fact]
    public void An_AcknowledgedWrite_MissingFromTheCart_IsADifference()
    {
        var cart = new ShopperCart();
        cart.Acknowledged(110, 1);
        cart.Acknowledged(111, 0);
        Assert.Equal([110], cart.Differences(new Dictionary<int, int>()));
        Assert.Empty(cart.Differences(new Dictionary<int, int> { [110] = 1 }));
        Assert.Equal([111], cart.Differences(new Dictionary<int, int> { [110] = 1, [111] = 1 }));
    }

    [Fact]
    public void An_UnansweredWrite_IsNeverCountedLost_AndItsLineIsRemovedNext()
    {
        var cart = new ShopperCart();
        cart.Acknowledged(110, 1);
        cart.Unanswered(110);
        Assert.Empty(cart.Differences(new Dictionary<int, int>()));
        Assert.Empty(cart.Differences(new Dictionary<int, int> { [110] = 2 }));
        Assert.Equal(0, cart.NextQuantity(110));
    }

    [Fact]
    public void Adopting_WhatTheShopShows_CountsALossOnce()
    {
        var cart = new ShopperCart();
        cart.Acknowledged(110, 1);
        var shown = new Dictionary<int, int>();
        Assert.Single(cart.Differences(shown));
        cart.Adopt(shown);
        Assert.Empty(cart.Differences(shown));
        Assert.Equal(1, cart.NextQuantity(110));
    }
}
