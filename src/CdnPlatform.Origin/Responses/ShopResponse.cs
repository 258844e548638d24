using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Origin.Responses;

/// <summary>
/// A complete response held in memory. Every origin endpoint answers with one, so every response carries
/// <c>Cache-Control</c>, and <c>HEAD</c> sends exactly the headers and <c>Content-Length</c> that <c>GET</c> would.
/// </summary>
public sealed class ShopResponse : IResult
{
    public int StatusCode { get; init; } = StatusCodes.Status200OK;

    public required string ContentType { get; init; }

    public required byte[] Body { get; init; }

    public required string CacheControl { get; init; }

    /// <summary>Space-separated tags the CDN can purge by; the edge strips them before delivery.</summary>
    public string? SurrogateKey { get; init; }

    public EntityTagHeaderValue? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>A strong entity tag over <paramref name="body"/>: equal bodies get equal tags on every node.</summary>
    public static EntityTagHeaderValue StrongETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash[..16])}\"");
    }

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.CacheControl = CacheControl;
        if (SurrogateKey is not null)
        {
            headers["Surrogate-Key"] = SurrogateKey;
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
