using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Storage;

/// <summary>
/// The one place that decides whether a shared cache may store a response (RFC 9111 §3, §3.5).
/// </summary>
/// <remarks>
/// Deliberately conservative for now: responses that need a secondary key (Vary) or revalidation on
/// every use (no-cache) are not stored until the engine supports them, rather than stored wrongly.
/// </remarks>
public static class SharedCacheStorage
{
    public static StorageDecision Decide(StorageInputs inputs)
    {
        var response = inputs.ResponseCacheControl;
        if (inputs.Method != "GET")
        {
            return StorageDecision.Refuse("method");
        }
        if (!IsFinalStatusWeStore(inputs.StatusCode))
        {
            return StorageDecision.Refuse("status");
        }
        if (response.NoStore || inputs.RequestCacheControl.NoStore)
        {
            return StorageDecision.Refuse("no-store");
        }
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
        if (response.NoCache)
        {
            return StorageDecision.Refuse("no-cache");
        }
        if (inputs.HasVary)
        {
            return StorageDecision.Refuse("vary");
        }
        if (inputs.FreshnessLifetime is not { } lifetime || lifetime <= TimeSpan.Zero)
        {
            return StorageDecision.Refuse("not fresh");
        }
        return StorageDecision.Store;
    }

    // Full responses with a final status; partial content (206) and 304 are not stored on their own.
    private static bool IsFinalStatusWeStore(int status) => status is >= 200 and < 600 and not 206 and not 304 and not (>= 100 and < 200);
}
