using System.Globalization;
using System.Text.Json;
using CdnPlatform.Origin.Pages;
using CdnPlatform.Origin.Publishing;
using CdnPlatform.Origin.Responses;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>
/// <c>POST /cms/products/{id}</c> (JSON, the CMS key) publishes a change and answers with the time from
/// publish to purged at every edge; <c>GET /cms/admin</c> is a page that edits a price through it.
/// </summary>
public static class CmsEndpoints
{
    public static void MapCmsEndpoints(this IEndpointRouteBuilder app)
    {
        // The key is checked before the datacenter's role, so a caller without it learns nothing about the site.
        app.MapPost("/cms/products/{id}", PublishAsync).AddEndpointFilter<CmsKeyFilter>().AddEndpointFilter<WriteGate>();
        app.MapGet("/cms/admin", (AdminPage page, HttpContext context) => page.RenderAsync(context.RequestAborted));
    }

    private static async Task<ShopResponse> PublishAsync(string id, HttpContext context, CmsPublisher publisher)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var productId))
        {
            return Error(StatusCodes.Status404NotFound, $"there is no product '{id}'", "id");
        }
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Error(StatusCodes.Status400BadRequest, "the body must be JSON (Content-Type: application/json)", null);
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"the body is not valid JSON: {e.Message}", null);
        }

        var (change, field, error) = ProductChangeReader.Read(body);
        if (change is null)
        {
            return Error(StatusCodes.Status400BadRequest, error!, field);
        }

        if (await publisher.PublishAsync(productId, change, context.RequestAborted) is not { } outcome)
        {
            return Error(StatusCodes.Status404NotFound, $"there is no product {productId}", "id");
        }

        var product = outcome.Product;
        return PrivateResults.JsonOf(
            new
            {
                product = new { product.Id, product.Name, product.Price, product.Stock, product.Version, product.UpdatedAt },
                purge = new
                {
                    state = outcome.PurgeState,
                    id = outcome.PurgeId,
                    ms = outcome.Milliseconds,
                    propagationMs = outcome.PropagationMs,
                    reason = outcome.Reason,
                },
            },
            outcome.PurgeState == "queued" ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    private static ShopResponse Error(int status, string message, string? field) => PrivateResults.JsonOf(new { error = message, field }, status);
}
