using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Http.Freshness;
using CdnPlatform.Http.Headers;
using CdnPlatform.Http.Storage;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// One trip to the origin for one request, kept as an HttpContext feature so the transformer (which sees
/// the origin's headers) and the pipeline (which stores the result) share what they learn.
/// </summary>
internal sealed class OriginFetch
{
    // Fields the edge recomputes on every delivery, or that describe one connection rather than the response.
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Age, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.KeepAlive,
    };

    public required SiteOptions Site { get; init; }
    public required CacheKey Key { get; init; }
    public required ForwardReason Reason { get; init; }

    /// <summary>False for requests that go forward without any chance of being stored (pass).</summary>
    public required bool MayStore { get; init; }

    public required DateTimeOffset RequestTime { get; init; }
    public BodyCaptureStream? Capture { get; set; }

    public StorageDecision Decision { get; private set; } = StorageDecision.Refuse("no response");
    public DateTimeOffset ResponseTime { get; private set; }
    private int _status;
    private List<KeyValuePair<string, string[]>>? _headers;
    private TimeSpan _initialAge;
    private TimeSpan _lifetime;

    /// <summary>
    /// Called once the origin's status and headers are copied to the visitor's response and before any
    /// body byte is sent: decides storage and writes this cache's Cache-Status member.
    /// </summary>
    public void OnResponseHeaders(HttpContext context, HttpResponseMessage? originResponse, DateTimeOffset now, long maxObjectBytes)
    {
        ResponseTime = now;
        var status = CacheStatus.ForForward(Reason);
        if (originResponse is null)
        {
            context.Response.Headers.Append("Cache-Status", (status with { Detail = "origin unreachable" }).ToString());
            return;
        }
        var request = context.Request;
        var response = context.Response;
        _status = response.StatusCode;
        var responseCacheControl = CacheControl.Parse(response.Headers.CacheControl);
        var lifetime = FreshnessLifetime.ForSharedCache(responseCacheControl, response.Headers.Expires, response.Headers.Date, now);
        Decision = !MayStore
            ? StorageDecision.Refuse("pass")
            : SharedCacheStorage.Decide(new StorageInputs
            {
                Method = request.Method,
                StatusCode = response.StatusCode,
                RequestCacheControl = CacheControl.Parse(request.Headers.CacheControl),
                ResponseCacheControl = responseCacheControl,
                RequestHasAuthorization = request.Headers.ContainsKey(HeaderNames.Authorization),
                ResponseHasSetCookie = response.Headers.ContainsKey(HeaderNames.SetCookie),
                AllowSetCookie = Site.CacheResponsesWithSetCookie,
                HasVary = response.Headers.ContainsKey(HeaderNames.Vary),
                FreshnessLifetime = lifetime,
            });
        if (Decision.CanStore && response.ContentLength > maxObjectBytes)
        {
            Decision = StorageDecision.Refuse("too large");
        }
        if (Decision.CanStore)
        {
            _lifetime = lifetime!.Value;
            _initialAge = ResponseAge.CorrectedInitialAge(response.Headers.Age, response.Headers.Date, RequestTime, now);
            // private="field" lets a shared cache store the response, but never the named fields (RFC 9111 §5.2.2.7).
            var privateFields = responseCacheControl.PrivateFields;
            _headers = response.Headers
                .Where(h => !NotStored.Contains(h.Key) && !privateFields.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
                .Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()!))
                .ToList()!;
            Capture?.StartCapture(response.ContentLength);
        }
        status = status with { ForwardStatus = response.StatusCode, Stored = Decision.CanStore };
        response.Headers.Append("Cache-Status", status.ToString());
    }

    /// <summary>The entry to store once the whole body has passed, or null if it must not be stored.</summary>
    public CacheEntry? TakeEntry()
    {
        if (!Decision.CanStore || _headers is null || Capture?.Captured is not { } body)
        {
            return null;
        }
        return new CacheEntry
        {
            Key = Key,
            StatusCode = _status,
            Headers = _headers,
            Body = body,
            ResponseTime = ResponseTime,
            CorrectedInitialAge = _initialAge,
            FreshnessLifetime = _lifetime,
        };
    }
}
