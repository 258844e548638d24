using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Storage;

/// <summary>What <see cref="SharedCacheStorage.Decide"/> looks at, gathered from a request and its response.</summary>
public readonly record struct StorageInputs
{
    public required string Method { get; init; }
    public required int StatusCode { get; init; }
    public required CacheControl RequestCacheControl { get; init; }

    /// <summary>The directives that govern this cache: a targeted field's (<see cref="TargetedCacheControl.Select"/>) when one applies, else Cache-Control.</summary>
    public required CacheControl ResponseCacheControl { get; init; }

    public bool RequestHasAuthorization { get; init; }
    public bool ResponseHasSetCookie { get; init; }

    /// <summary>The site allows storing responses that set cookies (they are then served to everyone).</summary>
    public bool AllowSetCookie { get; init; }

    /// <summary>
    /// Vary lists <c>*</c> (<c>VaryFields.IsStar</c>): no later request can match it, so it is never stored.
    /// Other Vary values are stored, keyed by <c>VaryKey</c>.
    /// </summary>
    public bool HasVary { get; init; }

    /// <summary>The response carries an ETag or a Last-Modified, so a stale copy can be revalidated.</summary>
    public bool HasValidator { get; init; }

    /// <summary><c>FreshnessLifetime.ForSharedCache</c> for the response, heuristic included; null when none applies.</summary>
    public TimeSpan? FreshnessLifetime { get; init; }
}
