using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Storage;
using CdnPlatform.Http.Vary;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Storage;

/// <summary>
/// Turns an origin response's headers into a storage decision and the entry to store: the one place in
/// the edge where response headers become cache metadata, for fresh fetches and 304 updates alike.
/// </summary>
internal static class StoragePlanner
{
    /// <param name="requestCacheControl">The request's Cache-Control, parsed once when the request came in.</param>
    public static StoragePlan Plan(CacheKey key, string method, IHeaderDictionary requestHeaders, CacheControl requestCacheControl, int status,
        IHeaderDictionary responseHeaders, DateTimeOffset requestTime, DateTimeOffset responseTime, Site site)
    {
        var targeted = TargetedCacheControl.Select(responseHeaders[HeaderRules.CdnCacheControl], responseHeaders[HeaderRules.SurrogateControl], SurrogateTarget);
        var cacheControl = targeted ?? CacheControl.Parse(responseHeaders.CacheControl);
        var lifetime = FreshnessLifetime.ForSharedCache(new FreshnessInputs
        {
            CacheControl = cacheControl,
            Targeted = targeted is not null,
            StatusCode = status,
            Expires = responseHeaders.Expires,
            Date = responseHeaders.Date,
            LastModified = responseHeaders.LastModified,
            ResponseTime = responseTime,
            DefaultLifetime = site.DefaultTtl,
        });
        var vary = VaryFields.Parse(responseHeaders.Vary);
        var decision = SharedCacheStorage.Decide(new StorageInputs
        {
            Method = method,
            StatusCode = status,
            RequestCacheControl = requestCacheControl,
            ResponseCacheControl = cacheControl,
            RequestHasAuthorization = requestHeaders.ContainsKey(HeaderNames.Authorization),
            ResponseHasSetCookie = responseHeaders.ContainsKey(HeaderNames.SetCookie),
            AllowSetCookie = site.CacheResponsesWithSetCookie,
            HasVary = vary.IsStar,
            HasValidator = responseHeaders.ContainsKey(HeaderNames.ETag) || responseHeaders.ContainsKey(HeaderNames.LastModified),
            FreshnessLifetime = lifetime,
        });
        if (!decision.CanStore)
        {
            return new StoragePlan(decision, null, lifetime);
        }
        var entry = new CacheEntry
        {
            Key = key,
            StatusCode = status,
            Headers = StoredHeaders(responseHeaders, OmittedFields(cacheControl, responseHeaders)),
            Body = StoredBody.Empty,
            ResponseTime = responseTime,
            CorrectedInitialAge = ResponseAge.CorrectedInitialAge(responseHeaders.Age, responseHeaders.Date, requestTime, responseTime),
            FreshnessLifetime = lifetime ?? TimeSpan.Zero,
            Vary = vary,
            VariantKey = vary.IsEmpty ? "" : VaryKey.Compute(vary, name => requestHeaders[name]),
            Tags = Tags(responseHeaders),
            ETag = Single(responseHeaders.ETag),
            LastModified = Single(responseHeaders.LastModified),
            RequiresRevalidation = cacheControl.NoCache && cacheControl.NoCacheFields.Count == 0,
            ForbidsStale = cacheControl.MustRevalidate || cacheControl.ProxyRevalidate || cacheControl.SharedMaxAge is not null,
            StaleWhileRevalidate = cacheControl.StaleWhileRevalidate ?? site.StaleWhileRevalidate,
            StaleIfError = cacheControl.StaleIfError ?? site.StaleIfError,
        };
        return new StoragePlan(decision, entry, lifetime);
    }

    /// <summary>
    /// A stored response updated by a 304 (RFC 9111 §4.3.4): the 304's fields replace the stored ones,
    /// except those that describe the stored body, and freshness starts again from the 304.
    /// </summary>
    public static CacheEntry Freshen(CacheEntry stored, IHeaderDictionary notModifiedHeaders, IHeaderDictionary requestHeaders,
        CacheControl requestCacheControl, DateTimeOffset requestTime, DateTimeOffset responseTime, Site site)
    {
        var merged = new HeaderDictionary();
        foreach (var (name, values) in stored.Headers)
        {
            merged[name] = values;
        }
        var omitted = ConnectionListed(notModifiedHeaders).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in notModifiedHeaders)
        {
            if (!HeaderRules.NotUpdatedBy304.Contains(name) && !HeaderRules.NotStored.Contains(name) && !omitted.Contains(name))
            {
                merged[name] = values;
            }
        }
        foreach (var edgeOnly in HeaderRules.EdgeOnly)
        {
            if (notModifiedHeaders.TryGetValue(edgeOnly, out var value))
            {
                merged[edgeOnly] = value;
            }
            else if (stored.Tags.Count > 0 && edgeOnly == HeaderRules.SurrogateKey)
            {
                merged[edgeOnly] = string.Join(' ', stored.Tags);
            }
        }
        var plan = Plan(stored.Key, HttpMethods.Get, requestHeaders, requestCacheControl, stored.StatusCode, merged, requestTime, responseTime, site);
        // The 304 confirmed the stored body; if its fields now forbid storing, the body is still this one.
        var refreshed = plan.Entry ?? stored;
        return refreshed with { Body = stored.Body, VariantKey = stored.VariantKey, Vary = stored.Vary, Invalidated = false };
    }

    /// <summary>
    /// This cache's name in <c>Surrogate-Capability</c> (sent to origins) and as the target of
    /// <c>Surrogate-Control: …;cdnplatform</c> directives.
    /// </summary>
    public const string SurrogateTarget = "cdnplatform";

    /// <summary>True when the request's selecting fields match the stored variant's (RFC 9111 §4.1); the lookup's predicate.</summary>
    public static bool Matches(CacheEntry entry, IHeaderDictionary requestHeaders) =>
        entry.Vary.IsEmpty || VaryKey.Matches(entry.Vary, entry.VariantKey, requestHeaders, static (name, headers) => headers[name]);

    // Fields the response says are not to be stored (private="…", no-cache="…") or that belong to its hop (Connection):
    // null for the usual response that names none, which then costs no set per miss.
    private static HashSet<string>? OmittedFields(CacheControl cacheControl, IHeaderDictionary headers) =>
        cacheControl.PrivateFields.Count == 0 && cacheControl.NoCacheFields.Count == 0 && headers.Connection.Count == 0
            ? null
            : new HashSet<string>(cacheControl.PrivateFields.Concat(cacheControl.NoCacheFields).Concat(ConnectionListed(headers)), StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<KeyValuePair<string, string[]>> StoredHeaders(IHeaderDictionary headers, HashSet<string>? omitted)
    {
        var stored = new List<KeyValuePair<string, string[]>>(headers.Count);
        foreach (var (name, values) in headers)
        {
            // An upstream cache's Cache-Status member stays: RFC 9211 keeps the chain, ours is appended on delivery.
            if (!HeaderRules.NotStored.Contains(name) && omitted?.Contains(name) != true)
            {
                stored.Add(KeyValuePair.Create(name, (string[])values.ToArray()!));
            }
        }
        return stored;
    }

    private static IEnumerable<string> ConnectionListed(IHeaderDictionary headers) =>
        headers.Connection.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IReadOnlyList<string> Tags(IHeaderDictionary headers)
    {
        var surrogateKey = headers[HeaderRules.SurrogateKey];
        var cacheTag = headers[HeaderRules.CacheTag];
        if (surrogateKey.Count == 0 && cacheTag.Count == 0)
        {
            return []; // most responses: no iterators built per miss
        }
        // Surrogate-Key is space-separated (Fastly), Cache-Tag comma-separated (Cloudflare, Akamai).
        var tags = surrogateKey.SelectMany(v => (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(cacheTag.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return tags;
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;
}
