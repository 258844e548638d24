using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Storage;

/// <summary>What <see cref="SharedCacheStorage.Decide"/> looks at, gathered from a request and its response.</summary>
public readonly record struct StorageInputs
{
    public required string Method { get; init; }
    public required int StatusCode { get; init; }
    public required CacheControl RequestCacheControl { get; init; }
    public required CacheControl ResponseCacheControl { get; init; }
    public bool RequestHasAuthorization { get; init; }
    public bool ResponseHasSetCookie { get; init; }
    public bool AllowSetCookie { get; init; }
    public bool HasVary { get; init; }
    public TimeSpan? FreshnessLifetime { get; init; }
}
