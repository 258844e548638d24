using System.Globalization;
using System.Text;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Shop;
using static CdnPlatform.Origin.Pages.HtmlLayout;

namespace CdnPlatform.Origin.Pages;

/// <summary>The personal pages: login form, account and cart. None of them may be cached anywhere.</summary>
public sealed class AccountPages(PrivateResults results)
{
    public ShopResponse Login(string? error = null, int statusCode = StatusCodes.Status200OK)
    {
        var message = error is null ? "" : $"<p class=\"error\">{Encode(error)}</p>\n";
        return results.Html("Log in", $"""
            <h2>Log in</h2>
            {message}<form method="post" action="/account/login">
              <label>Email <input name="email" type="email" autocomplete="username" required></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Log in</button>
            </form>
            """, statusCode);
    }

    public ShopResponse Account(Account account, CartView cart) => results.Html("Your account", $"""
        <h2>Hello, {Encode(account.Name)}</h2>
        <p class="account" data-email="{Encode(account.Email)}">Logged in as {Encode(account.Email)}.</p>
        <p><a href="/cart">Your cart</a>: {cart.Count} item(s), {Price(cart.Total)}</p>
        <form method="post" action="/account/logout"><button type="submit">Log out</button></form>
        """);

    public ShopResponse Cart(CartView cart)
    {
        var main = new StringBuilder("<h2>Your cart</h2>\n");
        if (cart.Items.Count == 0)
        {
            main.Append("<p>Your cart is empty.</p>");
        }
        else
        {
            main.Append("<table class=\"cart\">\n");
            foreach (var item in cart.Items)
            {
                main.Append(CultureInfo.InvariantCulture,
                    $"  <tr data-product-id=\"{item.ProductId}\"><td><a href=\"/products/{item.ProductId}\">{Encode(item.Name)}</a></td><td class=\"quantity\">{item.Quantity}</td><td>{Price(item.Price)}</td><td>{Price(item.LineTotal)}</td></tr>\n");
            }
            main.Append(CultureInfo.InvariantCulture, $"</table>\n<p class=\"total\">Total: {Price(cart.Total)}</p>");
        }
        var who = cart.Account is null ? "<p><a href=\"/account/login\">Log in</a></p>" : $"<p>Logged in as {Encode(cart.Account)}.</p>";
        return results.Html("Cart", main.Append('\n').Append(who).ToString());
    }
}
