using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Storage;

/// <summary>
/// The one place that decides whether a shared cache may store a response (RFC 9111 §3, §3.5).
/// </summary>
/// <remarks>
/// Storing is not reusing: a <c>no-cache</c> response is stored and revalidated on every use (the caller
/// checks <c>CacheControl.NoCache</c>), and a response with Vary is stored as one variant. What is refused
/// here must never be reused at all.
/// </remarks>
public static class SharedCacheStorage
{
    public static StorageDecision Decide(StorageInputs inputs)
    {
        var response = inputs.ResponseCacheControl ?? CacheControl.Empty;
        var request = inputs.RequestCacheControl ?? CacheControl.Empty;
        var status = inputs.StatusCode;
        // Methods are case-sensitive (RFC 9110 §9.1). A HEAD response has no body to answer a GET with.
        if (inputs.Method != "GET")
        {
            return StorageDecision.Refuse("method");
        }
        if (status is < 200 or > 599)
        {
            return StorageDecision.Refuse("status");
        }
        // §5.2.2.3: must-understand limits storing to caches that know the status code's semantics.
        var understood = FreshnessLifetime.IsUnderstoodStatus(status);
        if (response.MustUnderstand && !understood)
        {
            return StorageDecision.Refuse("must-understand");
        }
        // A 206 or 304 is not a complete response to store on its own.
        if (status is 206 or 304)
        {
            return StorageDecision.Refuse("status");
        }
        // §5.2.2.3: with must-understand and an understood status, the response's no-store is ignored (it is
        // there for caches that do not implement must-understand); the request's no-store still holds.
        if ((response.NoStore && !(response.MustUnderstand && understood)) || request.NoStore)
        {
            return StorageDecision.Refuse("no-store");
        }
        // §5.2.2.7: a qualified private="field" only keeps those fields out of the stored response.
        if (response.Private && response.PrivateFields.Count == 0)
        {
            return StorageDecision.Refuse("private");
        }
        // §3.5: a request with Authorization is stored only when the response explicitly allows it.
        if (inputs.RequestHasAuthorization && !(response.Public || response.SharedMaxAge is not null || response.MustRevalidate))
        {
            return StorageDecision.Refuse("authorization");
        }
        if (inputs.ResponseHasSetCookie && !inputs.AllowSetCookie)
        {
            return StorageDecision.Refuse("set-cookie");
        }
        // RFC 9110 §12.5.5: Vary: * never matches a later request.
        if (inputs.HasVary)
        {
            return StorageDecision.Refuse("vary");
        }
        // §3: explicit freshness (a lifetime from max-age, s-maxage or Expires), public, or a heuristically
        // cacheable status; a validator alone does not make a response storable.
        var lifetime = inputs.FreshnessLifetime;
        if (lifetime is null && !response.Public && !FreshnessLifetime.IsHeuristicallyCacheable(status))
        {
            return StorageDecision.Refuse("no freshness");
        }
        // Storable, but a copy that is never fresh, cannot be revalidated and may not be served stale
        // could only ever be replaced: not worth the space.
        var everFresh = lifetime is { } l && l > TimeSpan.Zero;
        var mayServeStale = response.StaleIfError > TimeSpan.Zero || response.StaleWhileRevalidate > TimeSpan.Zero;
        if (!everFresh && !inputs.HasValidator && !mayServeStale)
        {
            return StorageDecision.Refuse("not fresh");
        }
        return StorageDecision.Store;
    }
}
