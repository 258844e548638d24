using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Storage;
using CdnPlatform.Http.Vary;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>
/// Whole responses from http-cache-tests through the storage decision, wired the way the edge wires it:
/// targeted field selection, then the freshness lifetime, then <see cref="SharedCacheStorage.Decide"/>.
/// </summary>
public sealed class ResponseStorageTests
{
    private const string DeviceToken = "cdnplatform";
    private static readonly DateTimeOffset ResponseTime = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static string At(int seconds) => HttpDate.Format(ResponseTime.AddSeconds(seconds));

    private static Dictionary<string, StringValues> Fields(params (string Name, string Value)[] fields)
    {
        var result = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            result[name] = result.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }
        return result;
    }

    private static StorageDecision Decide(int status, (string, string)[] response, (string, string)[]? request = null, string method = "GET",
        bool allowSetCookie = false)
    {
        var responseFields = Fields(response);
        var requestFields = Fields(request ?? []);
        StringValues Response(string name) => responseFields.TryGetValue(name, out var v) ? v : StringValues.Empty;
        StringValues Request(string name) => requestFields.TryGetValue(name, out var v) ? v : StringValues.Empty;

        var targeted = TargetedCacheControl.Select(Response("CDN-Cache-Control"), Response("Surrogate-Control"), DeviceToken);
        var cacheControl = targeted ?? CacheControl.Parse(Response("Cache-Control"));
        var lifetime = FreshnessLifetime.ForSharedCache(new FreshnessInputs
        {
            CacheControl = cacheControl,
            Targeted = targeted is not null,
            StatusCode = status,
            Expires = Response("Expires"),
            Date = Response("Date"),
            LastModified = Response("Last-Modified"),
            ResponseTime = ResponseTime,
        });
        return SharedCacheStorage.Decide(new StorageInputs
        {
            Method = method,
            StatusCode = status,
            RequestCacheControl = CacheControl.Parse(Request("Cache-Control")),
            ResponseCacheControl = cacheControl,
            RequestHasAuthorization = Request("Authorization").Count > 0,
            ResponseHasSetCookie = Response("Set-Cookie").Count > 0,
            AllowSetCookie = allowSetCookie,
            HasVary = VaryFields.Parse(Response("Vary")).IsStar,
            HasValidator = Response("ETag").Count > 0 || Response("Last-Modified").Count > 0,
            FreshnessLifetime = lifetime,
        });
    }

    private static void AssertStored(StorageDecision decision) => Assert.True(decision.CanStore, $"refused: {decision.Reason}");

    private static void AssertRefused(StorageDecision decision, string reason)
    {
        Assert.False(decision.CanStore);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Private_IsRefused() // cc-resp-private-shared
    {
        AssertRefused(Decide(200, [("Cache-Control", "private, max-age=3600")]), "private");
    }

    [Theory]
    [InlineData("no-store")] // cc-resp-no-store
    [InlineData("No-StOrE")] // cc-resp-no-store-case-insensitive
    [InlineData("max-age=10000, no-store")] // cc-resp-no-store-fresh
    public void NoStore_IsRefused(string cacheControl)
    {
        AssertRefused(Decide(200, [("Cache-Control", cacheControl), ("Expires", At(10000)), ("Date", At(0))]), "no-store");
    }

    [Fact]
    public void NoCache_WithETag_IsStoredToBeRevalidated() // cc-resp-no-cache-revalidate
    {
        AssertStored(Decide(200, [("Cache-Control", "no-cache"), ("ETag", "\"abcd\"")]));
    }

    [Fact]
    public void MustRevalidate_WithETag_IsStored() // cc-resp-must-revalidate-fresh, -stale
    {
        AssertStored(Decide(200, [("Cache-Control", "max-age=2, must-revalidate"), ("ETag", "\"abcd\"")]));
    }

    [Fact]
    public void NothingToGoOn_IsNotWorthStoring() // freshness-none
    {
        AssertRefused(Decide(200, []), "not fresh");
    }

    [Fact]
    public void StaleOnArrivalWithLastModified_IsStoredToBeRevalidated() // status-200-stale, stale-warning-stored
    {
        AssertStored(Decide(200, [("Expires", At(-5000)), ("Last-Modified", At(-100000)), ("Date", At(0))]));
    }

    [Fact]
    public void ShortLivedWithoutValidator_IsStoredForStaleUse() // stale-close and friends
    {
        AssertStored(Decide(200, [("Cache-Control", "max-age=2")]));
    }

    [Fact]
    public void MaxAgeZeroWithStaleIfError_IsStored()
    {
        AssertStored(Decide(200, [("Cache-Control", "max-age=0, stale-if-error=60")]));
    }

    // heuristic-201-not_cached, -202, -403, -502, -503, -504, -599: RFC 9111 §3 gives no ground to store these,
    // a Last-Modified notwithstanding.
    [Theory]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(403)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public void NotHeuristicallyCacheable_WithOnlyLastModified_IsRefused(int status)
    {
        AssertRefused(Decide(status, [("Last-Modified", At(-86400)), ("Date", At(0))]), "no freshness");
    }

    [Theory]
    [InlineData(200)] // heuristic-200-cached
    [InlineData(203)]
    [InlineData(204)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(410)]
    [InlineData(414)]
    [InlineData(501)]
    public void HeuristicallyCacheable_WithLastModified_IsStored(int status)
    {
        AssertStored(Decide(status, [("Last-Modified", At(-86400)), ("Date", At(0))]));
    }

    [Fact]
    public void UnknownStatus_WithPublicAndLastModified_IsStored() // heuristic-599-cached
    {
        AssertStored(Decide(599, [("Last-Modified", At(-86400)), ("Date", At(0)), ("Cache-Control", "public")]));
    }

    [Theory]
    [InlineData(299)] // status-299-fresh
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(400)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(599)] // status-599-fresh
    public void AnyFinalStatus_WithExplicitFreshness_IsStored(int status)
    {
        AssertStored(Decide(status, [("Expires", At(100000)), ("Last-Modified", At(0)), ("Date", At(0))]));
    }

    [Fact]
    public void MustUnderstand_WithUnknownStatus_IsRefused() // status-599-must-understand
    {
        AssertRefused(Decide(599, [("Cache-Control", "max-age=3600, must-understand")]), "must-understand");
    }

    [Fact]
    public void MustUnderstand_WithKnownStatus_OverridesNoStore()
    {
        // RFC 9111 §5.2.2.3: no-store is there for caches that do not implement must-understand.
        AssertStored(Decide(200, [("Cache-Control", "max-age=3600, must-understand, no-store")]));
    }

    [Fact]
    public void MustUnderstand_DoesNotOverrideTheRequestsNoStore()
    {
        AssertRefused(Decide(200, [("Cache-Control", "max-age=3600, must-understand, no-store")], [("Cache-Control", "no-store")]), "no-store");
    }

    [Fact]
    public void Authorization_IsRefused() // other-authorization
    {
        AssertRefused(Decide(200, [("Expires", At(2592000)), ("Date", At(0))], [("Authorization", "FOO")]), "authorization");
    }

    [Theory]
    [InlineData("max-age=3600, public")] // other-authorization-public
    [InlineData("max-age=3600, must-revalidate")] // other-authorization-must-revalidate
    [InlineData("s-maxage=3600")] // other-authorization-smaxage
    public void Authorization_WithExplicitSharedPermission_IsStored(string cacheControl)
    {
        AssertStored(Decide(200, [("Cache-Control", cacheControl), ("Date", At(0))], [("Authorization", "FOO")]));
    }

    [Fact]
    public void SetCookie_IsStoredOnlyWhereTheSiteAllowsIt() // other-set-cookie (optimal: the site switch)
    {
        (string, string)[] response = [("Cache-Control", "max-age=3600"), ("Set-Cookie", "a=b")];

        AssertRefused(Decide(200, response), "set-cookie");
        AssertStored(Decide(200, response, allowSetCookie: true));
    }

    [Theory]
    [InlineData("*")] // vary-star, vary-syntax-star
    [InlineData("*, *")] // vary-syntax-star-star
    [InlineData(", *")] // vary-syntax-empty-star
    [InlineData("*, Foo")] // vary-syntax-star-foo
    [InlineData("Foo, *")] // vary-syntax-foo-star
    public void VaryStar_IsRefused(string vary)
    {
        AssertRefused(Decide(200, [("Expires", At(5000)), ("Last-Modified", At(-3000)), ("Date", At(0)), ("Vary", vary)]), "vary");
    }

    [Theory]
    [InlineData("*", "*")] // vary-syntax-star-star-lines
    [InlineData("", "*")] // vary-syntax-empty-star-lines
    public void VaryStar_OnAnyLine_IsRefused(string first, string second)
    {
        AssertRefused(Decide(200, [("Expires", At(5000)), ("Date", At(0)), ("Vary", first), ("Vary", second)]), "vary");
    }

    [Fact]
    public void VaryOnAField_IsStored() // vary-match
    {
        AssertStored(Decide(200, [("Expires", At(5000)), ("Last-Modified", At(-3000)), ("Date", At(0)), ("Vary", "Foo")]));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")] // method-POST (optimal): a POST response is not stored for later GETs here
    public void NonGetMethod_IsRefused(string method)
    {
        AssertRefused(Decide(200, [("Expires", At(2592000)), ("Date", At(0))], method: method), "method");
    }

    [Theory]
    [InlineData(206)] // partial-store-partial-*: a 206 is kept by the range store, not as a full response
    [InlineData(304)]
    public void PartialOrNotModified_IsNotStoredAsAFullResponse(int status)
    {
        AssertRefused(Decide(status, [("Cache-Control", "max-age=3600"), ("Content-Range", "bytes 4-9/10")]), "status");
    }

    [Fact]
    public void SurrogateNoStore_IsRefused() // surrogate-no-store
    {
        AssertRefused(Decide(200, [("Surrogate-Control", "no-store")]), "no-store");
    }

    [Fact]
    public void SurrogateNoStore_OverridesFreshCacheControl() // surrogate-no-store-cc-fresh
    {
        AssertRefused(Decide(200, [("Cache-Control", "max-age=10000"), ("Surrogate-Control", "no-store"), ("Expires", At(10000)), ("Date", At(0))]),
            "no-store");
    }

    [Fact]
    public void SurrogateMaxAgeForThisCache_OverridesCacheControlNoStore() // surrogate-fresh-cc-nostore
    {
        AssertStored(Decide(200, [("Cache-Control", "no-store"), ("Surrogate-Control", $"max-age=10000;{DeviceToken}")]));
    }

    [Fact]
    public void CdnCacheControl_OverridesCacheControlNoStore()
    {
        // RFC 9213 §3.1's example: stored by CDN caches only.
        AssertStored(Decide(200, [("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=600")]));
    }

    [Fact]
    public void CdnCacheControlPrivate_OverridesCacheControlPublic()
    {
        AssertRefused(Decide(200, [("Cache-Control", "public, max-age=600"), ("CDN-Cache-Control", "private")]), "private");
    }

    [Fact]
    public void InvalidCdnCacheControl_IsIgnored()
    {
        // RFC 9213 §2.1: a field that fails to parse is ignored, and Cache-Control governs again.
        AssertRefused(Decide(200, [("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=600,")]), "no-store");
    }
}
