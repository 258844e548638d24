using System.Globalization;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Http.Headers;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>
/// The edge's request path, in the order a request walks it (Varnish's states):
/// receive → key → lookup → hit | miss | pass → fetch → store → deliver.
/// </summary>
internal sealed partial class EdgeRequestHandler
{
    private readonly SiteDirectory _sites;
    private readonly MemoryCacheStore _store;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _originClient;
    private readonly OriginTransformer _transformer;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeRequestHandler> _logger;

    public EdgeRequestHandler(SiteDirectory sites, MemoryCacheStore store, IHttpForwarder forwarder, HttpMessageInvoker originClient,
        OriginTransformer transformer, EdgeOptions options, TimeProvider time, ILogger<EdgeRequestHandler> logger)
    {
        _sites = sites;
        _store = store;
        _forwarder = forwarder;
        _originClient = originClient;
        _transformer = transformer;
        _options = options;
        _time = time;
        _logger = logger;
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.OriginActivityTimeoutSeconds) };
    }

    public Task HandleAsync(HttpContext context)
    {
        // receive: which site is this for? A Host no site claims is refused, never forwarded.
        var request = context.Request;
        var site = _sites.Find(request.Host.Host);
        if (site is null)
        {
            return request.Path == "/healthz" && HttpMethods.IsGet(request.Method)
                ? WriteHealthAsync(context)
                : RefuseAsync(context, request.Host.Host);
        }

        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsHead(request.Method))
        {
            return FetchAsync(context, site, default, ForwardReason.Method, mayStore: false);
        }

        // key
        // Path in its escaped form, as a purge URL names it: Kestrel hands over /café decoded.
        var key = CacheKey.Create(request.Scheme, request.Host.Value!,
            string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent()));

        // lookup
        var now = _time.GetUtcNow();
        if (_store.TryGet(key, out var entry))
        {
            if (entry.IsFresh(now))
            {
                return DeliverHitAsync(context, entry, now, withBody: isGet);
            }
            return FetchAsync(context, site, key, ForwardReason.Stale, mayStore: isGet);
        }
        return FetchAsync(context, site, key, ForwardReason.UriMiss, mayStore: isGet);
    }

    // fetch → store → deliver (the forwarder streams to the visitor while the body is captured for the store)
    private async Task FetchAsync(HttpContext context, SiteOptions site, CacheKey key, ForwardReason reason, bool mayStore)
    {
        var fetch = new OriginFetch { Site = site, Key = key, Reason = reason, MayStore = mayStore, RequestTime = _time.GetUtcNow() };
        context.Features.Set(fetch);
        var visitorBody = context.Response.Body;
        if (mayStore)
        {
            fetch.Capture = new BodyCaptureStream(visitorBody, _options.MaxObjectBytes);
            context.Response.Body = fetch.Capture;
        }
        ForwarderError error;
        try
        {
            error = await _forwarder.SendAsync(context, site.Origin, _originClient, _requestConfig, _transformer);
        }
        finally
        {
            context.Response.Body = visitorBody;
        }
        if (error != ForwarderError.None)
        {
            Log.OriginFailed(_logger, site.Name, site.Origin, error);
            return;
        }
        if (fetch.TakeEntry() is { } entry && !_store.TryStore(entry))
        {
            Log.StoreFull(_logger, key.Value, entry.Size);
        }
    }

    private static Task DeliverHitAsync(HttpContext context, CacheEntry entry, DateTimeOffset now, bool withBody)
    {
        var response = context.Response;
        response.StatusCode = entry.StatusCode;
        var headers = response.Headers;
        foreach (var (name, values) in entry.Headers)
        {
            headers[name] = values;
        }
        // Age and ttl in whole seconds from the same reading, so a visitor sees Age + ttl = lifetime.
        var age = (long)entry.Age(now).TotalSeconds;
        headers.Age = age.ToString(CultureInfo.InvariantCulture);
        var ttl = TimeSpan.FromSeconds(Math.Floor(entry.FreshnessLifetime.TotalSeconds) - age);
        headers.Append("Cache-Status", CacheStatus.ForHit(ttl).ToString());
        response.ContentLength = entry.Body.Length;
        return withBody ? response.Body.WriteAsync(entry.Body).AsTask() : Task.CompletedTask;
    }

    private Task WriteHealthAsync(HttpContext context) => context.Response.WriteAsJsonAsync(new
    {
        status = "ok",
        edge = _options.Name,
        sites = _options.Sites.Select(s => s.Name),
        entries = _store.Count,
        bytes = _store.SizeBytes,
    });

    private static Task RefuseAsync(HttpContext context, string host)
    {
        // 421 Misdirected Request: this server is not configured to answer for that authority (RFC 9110 §15.5.20).
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync($"No site on this edge serves host '{host}'.\n");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Origin of site {Site} at {Origin} failed: {Error}")]
        public static partial void OriginFailed(ILogger logger, string site, string origin, ForwarderError error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Cache budget full: {Key} ({Bytes} bytes) not stored")]
        public static partial void StoreFull(ILogger logger, string key, long bytes);
    }
}
