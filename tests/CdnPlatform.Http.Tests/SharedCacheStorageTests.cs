using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Storage;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9111 §3 and §3.5: may a shared cache store this response?</summary>
public sealed class SharedCacheStorageTests
{
    private static StorageInputs Storable(string responseCacheControl = "max-age=60", string requestCacheControl = "") => new()
    {
        Method = "GET",
        StatusCode = 200,
        RequestCacheControl = CacheControl.Parse(requestCacheControl),
        ResponseCacheControl = CacheControl.Parse(responseCacheControl),
        FreshnessLifetime = TimeSpan.FromSeconds(60),
    };

    private static void AssertRefused(StorageInputs inputs, string reason)
    {
        var decision = SharedCacheStorage.Decide(inputs);
        Assert.False(decision.CanStore);
        Assert.Equal(reason, decision.Reason);
    }

    private static void AssertStored(StorageInputs inputs)
    {
        var decision = SharedCacheStorage.Decide(inputs);
        Assert.True(decision.CanStore, $"refused: {decision.Reason}");
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void FreshGetResponse_IsStored()
    {
        AssertStored(Storable());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    [InlineData("get")]
    public void NonGetMethod_IsRefused(string method)
    {
        AssertRefused(Storable() with { Method = method }, "method");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(203)]
    [InlineData(204)]
    [InlineData(301)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(500)]
    [InlineData(599)]
    public void FinalStatus_IsStored(int status)
    {
        AssertStored(Storable() with { StatusCode = status });
    }

    [Theory]
    [InlineData(100)]
    [InlineData(103)]
    [InlineData(206)]
    [InlineData(304)]
    [InlineData(600)]
    [InlineData(0)]
    public void PartialNotModifiedInformationalOrOutOfRangeStatus_IsRefused(int status)
    {
        AssertRefused(Storable() with { StatusCode = status }, "status");
    }

    [Fact]
    public void ResponseNoStore_IsRefused()
    {
        AssertRefused(Storable("no-store, max-age=60"), "no-store");
    }

    [Fact]
    public void RequestNoStore_IsRefused()
    {
        AssertRefused(Storable(requestCacheControl: "no-store"), "no-store");
    }

    [Fact]
    public void RequestNoCache_DoesNotPreventStoring()
    {
        AssertStored(Storable(requestCacheControl: "no-cache, max-age=0"));
    }

    [Fact]
    public void ResponsePrivate_IsRefused()
    {
        AssertRefused(Storable("private, max-age=60"), "private");
    }

    [Fact]
    public void ResponsePrivateQualifiedWithFields_IsStored()
    {
        AssertStored(Storable("private=\"x-user\", max-age=60"));
    }

    [Fact]
    public void ResponsePrivateUnqualifiedAlongsideQualified_IsRefused()
    {
        // RFC 9111 §5.2.2.7: unqualified private forbids a shared cache to store the response at all; a
        // qualified one only forbids the named fields. With both present the stricter one must win (§4.2.1).
        AssertRefused(Storable("private, private=\"set-cookie\", max-age=60"), "private");
    }

    [Theory]
    [InlineData("max-age=60")]
    [InlineData("private=\"x-user\", max-age=60")]
    [InlineData("proxy-revalidate, max-age=60")]
    public void Authorization_WithoutExplicitSharedPermission_IsRefused(string responseCacheControl)
    {
        AssertRefused(Storable(responseCacheControl) with { RequestHasAuthorization = true }, "authorization");
    }

    [Theory]
    [InlineData("public, max-age=60")]
    [InlineData("s-maxage=60")]
    [InlineData("must-revalidate, max-age=60")]
    public void Authorization_WithPublicSMaxAgeOrMustRevalidate_IsStored(string responseCacheControl)
    {
        AssertStored(Storable(responseCacheControl) with { RequestHasAuthorization = true });
    }

    [Fact]
    public void SetCookie_NotAllowed_IsRefused()
    {
        AssertRefused(Storable() with { ResponseHasSetCookie = true }, "set-cookie");
    }

    [Fact]
    public void SetCookie_AllowedBySite_IsStored()
    {
        AssertStored(Storable() with { ResponseHasSetCookie = true, AllowSetCookie = true });
    }

    // cc-resp-no-cache, -case-insensitive, -revalidate-fresh: stored, then revalidated on every use
    // (the caller reads CacheControl.NoCache); a qualified no-cache only keeps its fields out.
    [Theory]
    [InlineData("max-age=10000, no-cache")]
    [InlineData("max-age=10000, No-CaChE")]
    [InlineData("no-cache=\"set-cookie\", max-age=60")]
    public void ResponseNoCache_IsStoredForRevalidation(string responseCacheControl)
    {
        var inputs = Storable(responseCacheControl) with { HasValidator = true };

        AssertStored(inputs);
        Assert.True(inputs.ResponseCacheControl.NoCache);
    }

    [Fact]
    public void ResponseNoCache_WithETagAndNoLifetime_IsStored() // cc-resp-no-cache-revalidate
    {
        AssertStored(Storable("no-cache") with { FreshnessLifetime = null, HasValidator = true });
    }

    [Fact]
    public void VaryStar_IsRefused() // vary-star, vary-syntax-*
    {
        AssertRefused(Storable() with { HasVary = true }, "vary");
    }

    [Fact]
    public void VaryOnNamedFields_IsStored() // vary-match: the variant is keyed by VaryKey
    {
        AssertStored(Storable() with { HasVary = false });
    }

    [Fact]
    public void NoExplicitFreshness_IsRefused()
    {
        AssertRefused(Storable("public") with { FreshnessLifetime = null }, "not fresh");
    }

    [Fact]
    public void ZeroFreshnessLifetime_IsRefused()
    {
        AssertRefused(Storable("max-age=0") with { FreshnessLifetime = TimeSpan.Zero }, "not fresh");
    }

    [Fact]
    public void NegativeFreshnessLifetime_IsRefused()
    {
        AssertRefused(Storable() with { FreshnessLifetime = TimeSpan.FromSeconds(-1) }, "not fresh");
    }
}
