using CdnPlatform.Edge.Delivery;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// Sends a plain-HTTP visitor of a site that wants HTTPS (<c>Edge:Sites:N:RedirectToHttps</c>) to the same URL over
/// HTTPS: same host, path and query, the edge's HTTPS port. Answered before the cache is looked at, so such a site's
/// entries are only ever its https ones.
/// </summary>
/// <remarks>
/// <b>308</b>, not 301: a 301 lets the client turn a POST into a GET and drop its body (RFC 9110 §15.4.2), so a cart
/// form posted over http would arrive as an empty GET; a 308 is repeated as it was sent. <c>max-age=3600</c>: a
/// permanent redirect is cacheable by default, and browsers keep one without a lifetime for as long as they like;
/// an hour lets an operator who turns the redirect off be heard within one.
/// </remarks>
internal sealed class HttpsRedirect(int? port)
{
    public Task WriteAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status308PermanentRedirect;
        response.Headers.Location = Location(request.Host.Host, port ?? throw new InvalidOperationException("the edge has no HTTPS address to redirect to"),
            request.PathBase, request.Path, request.QueryString);
        response.Headers.CacheControl = "max-age=3600";
        CacheStatusField.Append(response.Headers, CacheStatus.ForGenerated("redirect-to-https"));
        response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>The https URL of a request: <paramref name="host"/> without the port it came on, and <paramref name="port"/> unless it is 443.</summary>
    public static string Location(string host, int port, PathString pathBase, PathString path, QueryString query)
    {
        var authority = port == 443 ? host : $"{host}:{port}";
        var target = pathBase.ToUriComponent() + path.ToUriComponent();
        return $"https://{authority}{(target.Length == 0 ? "/" : target)}{query.ToUriComponent()}";
    }
}
