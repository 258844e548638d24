using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Pages;
using CdnPlatform.Origin.Responses;
using CdnPlatform.Origin.Shop;

namespace CdnPlatform.Origin.Endpoints;

/// <summary><c>GET /cart</c> (HTML, or JSON with <c>Accept: application/json</c>) and <c>POST /cart</c> (form <c>productId</c>, <c>quantity</c>).</summary>
public static class CartEndpoints
{
    public static void MapCartEndpoints(this IEndpointRouteBuilder app, string[] getAndHead)
    {
        app.MapMethods("/cart", getAndHead, ShowAsync);
        app.MapPost("/cart", AddAsync).AddEndpointFilter<WriteGate>();
    }

    private static async Task<ShopResponse> ShowAsync(HttpContext context, IShopContent content, AccountPages pages, OriginOptions options)
    {
        var session = await ShopSession.LoadAsync(context);
        var cart = await Cart.ViewAsync(session.Cart(), session.Account(), content, options, context.RequestAborted);
        return PrivateResults.WantsJson(context.Request) ? PrivateResults.JsonOf(Json(cart)) : pages.Cart(cart);
    }

    private static async Task<ShopResponse> AddAsync(HttpContext context, IShopContent content, PrivateResults results, OriginOptions options)
    {
        var request = context.Request;
        if (await FormInput.ReadAsync(request) is not { } form)
        {
            return results.Error(request, StatusCodes.Status400BadRequest, FormInput.NotAForm);
        }
        if (!form.TryGetInt("productId", 1, int.MaxValue, null, out var productId, out var problem))
        {
            return results.Error(request, StatusCodes.Status400BadRequest, problem, "productId");
        }
        if (!form.TryGetInt("quantity", 0, Cart.MaxQuantity, 1, out var quantity, out problem))
        {
            return results.Error(request, StatusCodes.Status400BadRequest, problem, "quantity");
        }
        if (await content.GetProductAsync(productId, context.RequestAborted) is not { } product)
        {
            return results.Error(request, StatusCodes.Status404NotFound, $"productId: there is no product {productId}", "productId");
        }

        var session = await ShopSession.LoadAsync(context);
        var (lines, refusal) = Cart.Add(session.Cart(), product, quantity);
        if (lines is null)
        {
            return results.Error(request, StatusCodes.Status409Conflict, refusal!, "quantity");
        }

        session.SetCart(lines);
        await ShopSession.CommitAsync(context);
        var cart = await Cart.ViewAsync(lines, session.Account(), content, options, context.RequestAborted);
        return PrivateResults.SeeOtherOr(request, "/cart", Json(cart));
    }

    private static object Json(CartView cart) =>
        new { cart.Items, cart.Count, cart.Total, cart.Account, cart.Node, cart.Datacenter };
}
