using System.Collections.Frozen;
using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Delivery;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Revalidation;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http.Headers;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>
/// The edge's request path, in the order a request walks it (Varnish's states):
/// receive → key → lookup → hit | stale | miss | pass → fetch → store → deliver.
/// Each state is one method; a reader looking for "a stale hit while the origin is down" follows
/// <see cref="LookupAsync"/> → <see cref="FetchAsync"/> → <see cref="OriginFetch.OnResponseHeaders"/>.
/// </summary>
internal sealed partial class EdgeRequestHandler
{
    private readonly SiteDirectory _sites;
    private readonly MemoryCacheStore _store;
    private readonly RequestCoalescer _coalescer;
    private readonly BackgroundRevalidator _revalidator;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _originClient;
    private readonly OriginTransformer _transformer;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeRequestHandler> _logger;
    private readonly FrozenDictionary<string, QueryPolicy> _queryPolicies;

    public EdgeRequestHandler(SiteDirectory sites, MemoryCacheStore store, RequestCoalescer coalescer, BackgroundRevalidator revalidator,
        IHttpForwarder forwarder, HttpMessageInvoker originClient, OriginTransformer transformer, EdgeOptions options, TimeProvider time,
        ILogger<EdgeRequestHandler> logger)
    {
        _sites = sites;
        _store = store;
        _coalescer = coalescer;
        _revalidator = revalidator;
        _forwarder = forwarder;
        _originClient = originClient;
        _transformer = transformer;
        _options = options;
        _time = time;
        _logger = logger;
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(options.OriginActivityTimeoutSeconds) };
        _queryPolicies = options.Sites.ToFrozenDictionary(s => s.Name, s => new QueryPolicy(s.IgnoredQueryParameters, s.SortQueryParameters));
    }

    // receive: which site, which method.
    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var site = _sites.Find(request.Host.Host);
        if (site is null)
        {
            // A Host no site claims is refused, never forwarded.
            return request.Path == "/healthz" && HttpMethods.IsGet(request.Method)
                ? WriteHealthAsync(context)
                : RefuseAsync(context, request.Host.Host);
        }
        var key = KeyFor(site, request);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return FetchAsync(context, site, key, ForwardReason.Method, mayStore: false, stored: null);
        }
        var directives = RequestDirectives.From(CacheControl.Parse(request.Headers.CacheControl),
            PragmaNoCache.IsPresent(request.Headers.Pragma), site.IgnoreClientNoCache);
        if (directives.NoStore)
        {
            return FetchAsync(context, site, key, ForwardReason.Request, mayStore: false, stored: null);
        }
        return LookupAsync(context, site, key, directives);
    }

    // lookup: a fresh entry is a hit; a stale one is served (max-stale, stale-while-revalidate) or revalidated.
    private Task LookupAsync(HttpContext context, SiteOptions site, CacheKey key, RequestDirectives directives, bool collapsed = false)
    {
        var request = context.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        var now = _time.GetUtcNow();
        var entry = _store.Find(key, request.Headers, StoragePlanner.Matches);
        if (entry is not null)
        {
            switch (ReusePolicy.Decide(entry, directives, now, TimeSpan.FromSeconds(site.StaleWhileRevalidateSeconds)))
            {
                case ReuseDecision.Fresh:
                case ReuseDecision.StaleAccepted:
                    return DeliverAsync(context, site, entry, now, CacheStatus.ForHit(TimeSpan.Zero) with { Collapsed = collapsed });
                case ReuseDecision.StaleWhileRevalidate:
                    _revalidator.Start(entry, site, request);
                    return DeliverAsync(context, site, entry, now, CacheStatus.ForHit(TimeSpan.Zero) with { Detail = "stale-while-revalidate" });
            }
            if (directives.OnlyIfCached)
            {
                return GatewayTimeoutAsync(context);
            }
            var revalidation = directives.NoCache ? ForwardReason.Request : ForwardReason.Stale;
            return !isGet || collapsed || _store.IsPass(key)
                ? FetchAsync(context, site, key, revalidation, mayStore: isGet, stored: entry, collapsed: collapsed)
                : CoalescedFetchAsync(context, site, key, directives, revalidation, entry);
        }
        if (directives.OnlyIfCached)
        {
            return GatewayTimeoutAsync(context);
        }
        var reason = _store.Contains(key) ? ForwardReason.VaryMiss : ForwardReason.UriMiss;
        if (!isGet || collapsed || _store.IsPass(key))
        {
            return FetchAsync(context, site, key, reason, mayStore: isGet, stored: null, collapsed: collapsed);
        }
        return CoalescedFetchAsync(context, site, key, directives, reason, stored: null);
    }

    // miss or revalidation: concurrent requests for one URL make one origin request; the others wait and look up again.
    private async Task CoalescedFetchAsync(HttpContext context, SiteOptions site, CacheKey key, RequestDirectives directives,
        ForwardReason reason, CacheEntry? stored)
    {
        if (_coalescer.TryLead(key, out var flight))
        {
            var outcome = FlightOutcome.Failed;
            try
            {
                outcome = await FetchAsync(context, site, key, reason, mayStore: true, stored: stored);
            }
            finally
            {
                _coalescer.Land(key, flight, outcome);
            }
            return;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(_requestConfig.ActivityTimeout ?? TimeSpan.FromSeconds(100));
        try
        {
            await flight.Landed.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The leader is slow: stop waiting and go to the origin like it did.
        }
        await LookupAsync(context, site, key, directives, collapsed: true);
    }

    // fetch → store → deliver: the forwarder streams to the visitor while the body is captured for the store.
    private async Task<FlightOutcome> FetchAsync(HttpContext context, SiteOptions site, CacheKey key, ForwardReason reason, bool mayStore,
        CacheEntry? stored, bool collapsed = false)
    {
        var fetch = new OriginFetch
        {
            Site = site, Key = key, Reason = reason, MayStore = mayStore, RequestTime = _time.GetUtcNow(), Store = _store,
            StartedAtGeneration = _store.Generation,
            Stored = stored, Collapsed = collapsed,
        };
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
        if (fetch.Substitute is { } substitute)
        {
            // A 304 confirmed the stored entry, or the origin failed and stale-if-error allows it: deliver it.
            await DeliverAsync(context, site, substitute, _time.GetUtcNow(), fetch.SubstituteStatus);
            return FlightOutcome.Stored;
        }
        if (error != ForwarderError.None)
        {
            Log.OriginFailed(_logger, site.Name, site.Origin, error);
            return FlightOutcome.Failed;
        }
        if (fetch.TakeEntry() is { } entry)
        {
            switch (_store.Store(entry))
            {
                case StoreResult.Stored:
                    _store.ClearPass(key);
                    return FlightOutcome.Stored;
                case StoreResult.NoRoom:
                    Log.StoreFull(_logger, key.Value, entry.Size);
                    break;
                case StoreResult.Superseded:
                    // A purge overtook this fetch: its body may be what was purged. Followers fetch afresh.
                    return FlightOutcome.Failed;
            }
        }
        else if (mayStore && context.Response.StatusCode < 500)
        {
            // The response could not be shared: let requests for this URL skip the queue for a while.
            _store.MarkPass(key, TimeSpan.FromSeconds(site.HitForPassSeconds));
        }
        return FlightOutcome.NotShareable;
    }

    // deliver (from the store)
    private static Task DeliverAsync(HttpContext context, SiteOptions site, CacheEntry entry, DateTimeOffset now, CacheStatus status) =>
        CachedResponseWriter.WriteAsync(context, entry, now, status, site.MaxRanges);

    private CacheKey KeyFor(SiteOptions site, HttpRequest request)
    {
        var query = request.QueryString.ToUriComponent();
        if (query.Length > 0 && _queryPolicies.TryGetValue(site.Name, out var policy))
        {
            query = policy.Normalize(query);
        }
        // Path in its escaped form, as a purge URL names it: Kestrel hands over /café decoded.
        return CacheKey.Create(request.Scheme, request.Host.Value!, string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), query));
    }


    private static Task GatewayTimeoutAsync(HttpContext context)
    {
        // RFC 9111 §5.2.1.7: only-if-cached with nothing usable stored.
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        context.Response.Headers.Append(HeaderRules.CacheStatus, "CdnPlatform; detail=\"only-if-cached\"");
        return Task.CompletedTask;
    }

    private Task WriteHealthAsync(HttpContext context) => context.Response.WriteAsJsonAsync(new
    {
        status = "ok",
        edge = _options.Name,
        sites = _options.Sites.Select(s => s.Name),
        entries = _store.Count,
        bytes = _store.SizeBytes,
        evictions = _store.Evictions,
        purgeMark = context.RequestServices.GetRequiredService<Purging.PurgeListener>().Mark,
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
