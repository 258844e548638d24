using System.Security.Cryptography;
using System.Text;
using CdnPlatform.Origin.Responses;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>
/// The CMS API's own key (<c>Origin:CmsApiKey</c>, a bearer token): 401 without it, compared in constant time.
/// It is not the control plane's key: the CMS may publish, not purge arbitrary URLs.
/// </summary>
public sealed class CmsKeyFilter(OriginOptions options) : IEndpointFilter
{
    private readonly byte[]? _expected = options.CmsApiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.CmsApiKey));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        string? problem = null;
        if (_expected is null)
        {
            problem = "the CMS API is disabled on this node (Origin:CmsApiKey is not set)";
        }
        else if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = "an Authorization: Bearer <CMS key> header is required";
        }
        else if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), _expected))
        {
            problem = "the CMS key is not valid";
        }

        if (problem is null)
        {
            return await next(context);
        }
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"cms\"";
        return PrivateResults.JsonOf(new { error = problem, field = (string?)null }, StatusCodes.Status401Unauthorized);
    }
}
