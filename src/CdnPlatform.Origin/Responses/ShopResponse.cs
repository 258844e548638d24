using System.Security.Cryptography;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Origin.Responses;

/// <summary>
/// A complete response held in memory. Every origin endpoint answers with one, so every response carries
/// <c>Cache-Control</c>, and <c>HEAD</c> sends exactly the headers and <c>Content-Length</c> that <c>GET</c> would.
/// </summary>
public sealed record ShopResponse : IResult
{
    public int StatusCode { get; init; } = StatusCodes.Status200OK;

    public required string ContentType { get; init; }

    public required byte[] Body { get; init; }

    public required string CacheControl { get; init; }

    /// <summary>
    /// What the CDN can purge this response by, sent as <c>Surrogate-Key</c> (the edge strips it before
    /// delivery); the render cache tags its copy the same, so one publish evicts both by the same names.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Directives for the platform's edges only (they take it over <c>Cache-Control</c> and strip it).</summary>
    public string? SurrogateControl { get; init; }

    /// <summary>Where a redirect (3xx) points.</summary>
    public string? Location { get; init; }

    public EntityTagHeaderValue? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>A strong entity tag over <paramref name="body"/>: equal bodies get equal tags on every node.</summary>
    public static EntityTagHeaderValue StrongETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash[..16])}\"");
    }

    /// <summary>
    /// A weak entity tag over what a page was rendered from (ids and versions), not over its bytes: the footer's
    /// node and render time differ between renders, yet every render of one content version means the same.
    /// </summary>
    public static EntityTagHeaderValue WeakETagOf(string contentVersion)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(contentVersion), hash);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash[..12])}\"", isWeak: true);
    }

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.CacheControl = CacheControl;
        if (Tags.Count > 0)
        {
            headers["Surrogate-Key"] = string.Join(' ', Tags);
            if (context.Features.Get<IOutputCacheFeature>() is { } renderCache)
            {
                renderCache.Context.Tags.UnionWith(Tags);
            }
        }

        if (SurrogateControl is not null)
        {
            headers["Surrogate-Control"] = SurrogateControl;
        }

        if (Location is not null)
        {
            headers.Location = Location;
        }

        if (ETag is not null)
        {
            headers.ETag = ETag.ToString();
        }

        if (LastModified is { } lastModified)
        {
            headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        }

        // The edges revalidate with If-None-Match; answering 304 saves sending the body again.
        if (StatusCode == StatusCodes.Status200OK && MatchesIfNoneMatch(context.Request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }

    private bool MatchesIfNoneMatch(HttpRequest request)
    {
        if (ETag is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return false;
        }

        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        // RFC 9110 13.1.2: If-None-Match uses the weak comparison.
        return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false));
    }
}
