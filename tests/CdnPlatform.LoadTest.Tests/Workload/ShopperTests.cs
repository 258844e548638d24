using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Tests.Workload;

public sealed class ShopperTests
{
    [Fact]
    public void Cookies_set_by_answers_are_sent_back_and_replaced_by_name()
    {
        var shopper = new Shopper(index: 0, pop: 0);
        Assert.Null(shopper.CookieHeader);

        shopper.Accept(["session=abc; Path=/; HttpOnly", "theme=dark"]);
        shopper.Accept(["session=def; Path=/"]);

        Assert.Equal("session=def; theme=dark", shopper.CookieHeader);
    }

    [Theory]
    [InlineData("theme=; Path=/")]
    [InlineData("theme=dark; expires=Thu, 01 Jan 1970 00:00:00 GMT")]
    [InlineData("theme=dark; Max-Age=0")]
    public void A_cookie_cleared_or_expired_by_the_server_is_no_longer_sent(string clearing)
    {
        var shopper = new Shopper(index: 0, pop: 0);
        shopper.Accept(["session=abc", "theme=dark"]);

        shopper.Accept([clearing]);

        Assert.Equal("session=abc", shopper.CookieHeader);
    }

    [Fact]
    public void Virtual_users_take_the_demo_accounts_in_turn()
    {
        Assert.Equal(("visitor-001@shop.test", "visitor-001-pass"), (new Shopper(0, 0).Email, new Shopper(0, 0).Password));
        Assert.Equal("visitor-050@shop.test", new Shopper(49, 0).Email);
        Assert.Equal("visitor-001@shop.test", new Shopper(50, 1).Email);
    }
}
