using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Pages;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Shop;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>
/// <c>GET /account</c>, <c>GET|POST /account/login</c> (form <c>email</c>, <c>password</c>) and
/// <c>POST /account/logout</c>. Logging in keeps the cart; a visitor who already had a session gets a new session
/// id for it (<see cref="LoginHandoff"/>).
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app, string[] getAndHead)
    {
        app.MapMethods("/account", getAndHead, AccountAsync);
        app.MapMethods("/account/login", getAndHead, (AccountPages pages) => pages.Login());
        app.MapPost("/account/login", LogInAsync).AddEndpointFilter<WriteGate>();
        app.MapPost("/account/logout", (Func<HttpContext, Task<ShopResponse>>)LogOutAsync).AddEndpointFilter<WriteGate>();
    }

    private static async Task<ShopResponse> AccountAsync(HttpContext context, IShopContent content, AccountPages pages,
        PrivateResults results, OriginOptions options)
    {
        var session = await ShopSession.LoadAsync(context);
        if (session.Account() is not { } email || await content.FindAccountAsync(email, context.RequestAborted) is not { } account)
        {
            return PrivateResults.WantsJson(context.Request)
                ? results.Error(context.Request, StatusCodes.Status401Unauthorized, "not logged in")
                : PrivateResults.SeeOtherOr(context.Request, "/account/login", new { });
        }

        var cart = await Cart.ViewAsync(session.Cart(), email, content, options, context.RequestAborted);
        return PrivateResults.WantsJson(context.Request)
            ? PrivateResults.JsonOf(new { account.Email, account.Name, cart = new { cart.Count, cart.Total }, cart.Node, cart.Datacenter })
            : pages.Account(account, cart);
    }

    private static async Task<ShopResponse> LogInAsync(HttpContext context, IShopContent content, AccountPages pages, PrivateResults results,
        LoginHandoff handoff)
    {
        var request = context.Request;
        if (await FormInput.ReadAsync(request) is not { } form)
        {
            return results.Error(request, StatusCodes.Status400BadRequest, FormInput.NotAForm);
        }
        if (!form.TryGetText("email", 254, out var email, out var problem))
        {
            return results.Error(request, StatusCodes.Status400BadRequest, problem, "email");
        }
        if (!form.TryGetText("password", 1024, out var password, out problem))
        {
            return results.Error(request, StatusCodes.Status400BadRequest, problem, "password");
        }

        // The same answer for an unknown email and a wrong password, so the form does not tell which accounts exist.
        var account = await content.FindAccountAsync(email, context.RequestAborted);
        if (account is null || !PasswordHash.Verify(password, account.PasswordHash))
        {
            return PrivateResults.WantsJson(request)
                ? results.Error(request, StatusCodes.Status401Unauthorized, "wrong email or password")
                : pages.Login("Wrong email or password.", StatusCodes.Status401Unauthorized);
        }

        if (LoginHandoff.CameWithSession(context))
        {
            // A session from before the login (a cart): its id may have been planted. The account goes to a new one.
            await handoff.BeginAsync(context, account.Email);
        }
        else
        {
            // No session yet: the one this request starts has an id nobody has seen.
            var session = await ShopSession.LoadAsync(context);
            session.LogIn(account.Email);
            await ShopSession.CommitAsync(context);
        }
        return PrivateResults.SeeOtherOr(request, "/account", new { account.Email, account.Name });
    }

    private static async Task<ShopResponse> LogOutAsync(HttpContext context)
    {
        var session = await ShopSession.LoadAsync(context);
        session.Clear();
        await ShopSession.CommitAsync(context);
        return PrivateResults.SeeOtherOr(context.Request, "/", new { loggedOut = true });
    }
}
