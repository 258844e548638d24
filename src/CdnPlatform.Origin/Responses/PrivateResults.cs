using System.Text;
using System.Text.Json;
using CdnPlatform.Origin.Pages;

namespace CdnPlatform.Origin.Responses;

/// <summary>
/// Answers of the personal and write endpoints, all <c>private, no-store</c>: JSON when the client asks for
/// it with <c>Accept: application/json</c> (the load tool, scripts), HTML for a browser.
/// </summary>
public sealed class PrivateResults(HtmlLayout layout)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asked for with <c>Accept</c>, or implied by a JSON body (the CMS API's callers).</summary>
    public static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(v => v is not null && v.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        || request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    public static ShopResponse JsonOf<T>(T value, int statusCode = StatusCodes.Status200OK) => new()
    {
        StatusCode = statusCode,
        ContentType = "application/json; charset=utf-8",
        Body = JsonSerializer.SerializeToUtf8Bytes(value, Json),
        CacheControl = PageCachePolicy.Private,
    };

    public ShopResponse Html(string title, string main, int statusCode = StatusCodes.Status200OK) => new()
    {
        StatusCode = statusCode,
        ContentType = HtmlLayout.ContentType,
        Body = layout.Render(title, main),
        CacheControl = PageCachePolicy.Private,
    };

    /// <summary>303 to <paramref name="location"/> for a browser; <paramref name="json"/> for a script.</summary>
    public static ShopResponse SeeOtherOr<T>(HttpRequest request, string location, T json) => WantsJson(request)
        ? JsonOf(json)
        : new ShopResponse
        {
            StatusCode = StatusCodes.Status303SeeOther,
            ContentType = "text/plain; charset=utf-8",
            Body = Encoding.UTF8.GetBytes($"See {location}\n"),
            CacheControl = PageCachePolicy.Private,
            Location = location,
        };

    /// <summary>A refused request: what was wrong and, for bad input, the field it was about.</summary>
    public ShopResponse Error(HttpRequest request, int statusCode, string message, string? field = null) => WantsJson(request)
        ? JsonOf(new { error = message, field }, statusCode)
        : Html("Sorry", $"<h2>Sorry</h2>\n<p class=\"error\">{HtmlLayout.Encode(message)}</p>\n<p><a href=\"/\">Back to the shop</a></p>", statusCode);
}
