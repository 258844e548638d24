using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http;
using CdnPlatform.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// One trip to the origin for one visitor request, kept as an HttpContext feature so the transformer
/// (which sees the origin's headers before any body byte goes out) and the pipeline (which stores the
/// result afterwards) share what they learn. Decides, at header time, between: stream and store, stream
/// only, or answer from the stored entry instead (revalidated by a 304, or stale because the origin failed).
/// </summary>
internal sealed class OriginFetch
{
    public required SiteOptions Site { get; init; }
    public required CacheKey Key { get; init; }
    public required ForwardReason Reason { get; init; }

    /// <summary>False for requests that go forward without any chance of being stored (pass).</summary>
    public required bool MayStore { get; init; }

    public required DateTimeOffset RequestTime { get; init; }
    public required MemoryCacheStore Store { get; init; }

    /// <summary>The store's generation when this fetch began: a purge after it supersedes what the fetch brings.</summary>
    public required long StartedAtGeneration { get; init; }

    /// <summary>The stored entry this fetch revalidates, and the stand-in if the origin fails.</summary>
    public CacheEntry? Stored { get; init; }

    public bool Collapsed { get; init; }

    public BodyCaptureStream? Capture { get; set; }

    /// <summary>When set, the visitor gets this stored entry instead of the origin's body.</summary>
    public CacheEntry? Substitute { get; private set; }

    public CacheStatus SubstituteStatus { get; private set; }

    public StoragePlan Plan { get; private set; } = StoragePlan.Refuse("no response");

    public DateTimeOffset ResponseTime { get; private set; }

    /// <summary>Whether validators of <see cref="Stored"/> go to the origin instead of the visitor's own conditionals.</summary>
    public bool Revalidates => Stored is { HasValidator: true } && MayStore;

    public void OnRequest(HttpContext context, HttpRequestMessage originRequest)
    {
        if (!MayStore)
        {
            return; // a pass: the visitor's conditionals and ranges are theirs to send
        }
        // A fetch that may fill the cache asks for the whole response, not the visitor's 304.
        originRequest.Headers.Remove(HeaderNames.IfNoneMatch);
        originRequest.Headers.Remove(HeaderNames.IfModifiedSince);
        if (Revalidates)
        {
            if (Stored!.ETag is { } etag)
            {
                originRequest.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, etag);
            }
            if (Stored.LastModified is { } lastModified)
            {
                originRequest.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, lastModified);
            }
        }
    }

    /// <summary>
    /// Called once the origin's status and fields are copied to the visitor's response and before any body
    /// byte is sent. Returns false when the origin's body must not be copied (a stored entry answers instead).
    /// </summary>
    public bool OnResponseHeaders(HttpContext context, HttpResponseMessage? originResponse, DateTimeOffset now, long maxObjectBytes)
    {
        ResponseTime = now;
        var response = context.Response;
        var status = CacheStatus.ForForward(Reason) with { Collapsed = Collapsed };
        if (originResponse is null)
        {
            if (Stored is not null && ReusePolicy.MayServeWhenDisconnected(Stored, now,
                TimeSpan.FromSeconds(Site.StaleIfErrorSeconds), TimeSpan.FromSeconds(Site.StaleWhenOriginDownSeconds)))
            {
                Substitute = Stored;
                SubstituteStatus = status with { Detail = "origin unreachable, served stale" };
                return false;
            }
            response.Headers.Append(HeaderRules.CacheStatus, (status with { Detail = "origin unreachable" }).ToString());
            return true;
        }

        RemoveConnectionListed(response.Headers, originResponse);
        var code = response.StatusCode;
        status = status with { ForwardStatus = code };
        if (code == StatusCodes.Status304NotModified && Revalidates)
        {
            var freshened = StoragePlanner.Freshen(Stored!, response.Headers, context.Request.Headers, RequestTime, now, Site);
            Store.Replace(Stored!, freshened);
            Substitute = freshened;
            SubstituteStatus = status;
            return false;
        }
        if (code >= 500 && TrySubstituteStale(now, status with { Detail = "stale-if-error" }))
        {
            return false;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && code < 400)
        {
            InvalidateAfterUnsafeMethod(context, response.Headers);
        }

        Plan = MayStore
            ? StoragePlanner.Plan(Key, context.Request.Method, context.Request.Headers, code, response.Headers, RequestTime, now, Site)
            : StoragePlan.Refuse("pass");
        if (Plan.Decision.CanStore && response.ContentLength > maxObjectBytes)
        {
            Plan = StoragePlan.Refuse("too large");
        }
        if (Plan.Decision.CanStore)
        {
            Capture?.StartCapture(response.ContentLength);
        }
        foreach (var edgeOnly in HeaderRules.EdgeOnly)
        {
            response.Headers.Remove(edgeOnly);
        }
        response.Headers.Append(HeaderRules.CacheStatus, (status with { Stored = Plan.Decision.CanStore }).ToString());
        return true;
    }

    /// <summary>The entry to store once the whole body has passed, or null if it must not be stored.</summary>
    public CacheEntry? TakeEntry()
    {
        if (!Plan.Decision.CanStore || Plan.Entry is null || Capture?.Captured is not { } body)
        {
            return null;
        }
        return Plan.Entry with { Body = body, FetchStartedAt = StartedAtGeneration };
    }

    private bool TrySubstituteStale(DateTimeOffset now, CacheStatus status)
    {
        if (Stored is null || !ReusePolicy.MayServeOnError(Stored, now, TimeSpan.FromSeconds(Site.StaleIfErrorSeconds)))
        {
            return false;
        }
        Substitute = Stored;
        SubstituteStatus = status;
        return true;
    }

    // RFC 9110 §7.6.1: fields named in Connection belong to that hop only.
    private static void RemoveConnectionListed(IHeaderDictionary headers, HttpResponseMessage originResponse)
    {
        foreach (var name in originResponse.Headers.Connection)
        {
            headers.Remove(name);
        }
    }

    /// <summary>
    /// RFC 9111 §4.4: a successful unsafe request invalidates the target URI, and the Location and
    /// Content-Location URIs when they are on the same host (never another's: that would let one site purge another).
    /// </summary>
    private void InvalidateAfterUnsafeMethod(HttpContext context, IHeaderDictionary responseHeaders)
    {
        Store.Invalidate(Key, soft: false);
        Store.Invalidate(Key.WithOtherScheme(), soft: false);
        var requestUri = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}");
        foreach (var location in new[] { responseHeaders.Location.ToString(), responseHeaders.ContentLocation.ToString() })
        {
            if (location.Length > 0 && Uri.TryCreate(requestUri, location, out var target) && HttpUrl.IsHttp(target)
                && string.Equals(target.Authority, requestUri.Authority, StringComparison.OrdinalIgnoreCase))
            {
                Store.InvalidateUrl(target);
            }
        }
    }
}
