using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Delivery;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Revalidation;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http;
using CdnPlatform.Http.Headers;
using Microsoft.AspNetCore.Connections.Features;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>
/// The edge's request path, in the order a request walks it (Varnish's states):
/// receive → key → lookup → hit | miss | pass → fetch → store → deliver.
/// Each state is one method. The fetch returns what it brought (<see cref="FetchOutcome"/>) and this class
/// acts on it: a reader looking for "a stale hit while the origin is down" follows <see cref="LookupAsync"/>
/// → <see cref="FillAsync"/> → the <see cref="FetchResult.Stale"/> case.
/// </summary>
internal sealed partial class EdgeRequestHandler
{
    private readonly SiteDirectory _sites;
    private readonly MemoryCacheStore _store;
    private readonly HitForPass _hitForPass;
    private readonly RequestCoalescer _coalescer;
    private readonly BackgroundRevalidator _revalidator;
    private readonly OriginFetcher _origin;
    private readonly CacheFill _fill;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeRequestHandler> _logger;
    // Null without HTTPS addresses: no connection then has a server name to check a Host against.
    private readonly Tls.ServerCertificates? _certificates;

    public EdgeRequestHandler(SiteDirectory sites, MemoryCacheStore store, HitForPass hitForPass, RequestCoalescer coalescer,
        BackgroundRevalidator revalidator, OriginFetcher origin, CacheFill fill, EdgeOptions options, TimeProvider time,
        ILogger<EdgeRequestHandler> logger, Tls.ServerCertificates? certificates = null)
    {
        _certificates = certificates;
        _sites = sites;
        _store = store;
        _hitForPass = hitForPass;
        _coalescer = coalescer;
        _revalidator = revalidator;
        _origin = origin;
        _fill = fill;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The Prometheus scrape (<c>/metrics</c>), set by the host once the app is built.</summary>
    public RequestDelegate Metrics { get; set; } = static context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    public Task HandleAsync(HttpContext context) => Handle(context, out _);

    // receive: which site, which method.
    public Task Handle(HttpContext context, out Site? site)
    {
        var request = context.Request;
        site = _sites.Find(request.Host);
        if (site is null)
        {
            // A Host no site claims is refused, never forwarded; the edge's own documents answer without one.
            return !HttpMethods.IsGet(request.Method) ? RefuseAsync(context, request.Host.Host)
                : request.Path == "/healthz" ? WriteHealthAsync(context)
                : request.Path == "/edge/origins" ? WriteOriginsAsync(context)
                : request.Path == CdnPlatform.Observability.NodeMetrics.Path ? Metrics(context)
                : RefuseAsync(context, request.Host.Host);
        }
        if (_certificates is not null && request.IsHttps && context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } serverName
            && !_certificates.Serves(serverName, request.Host.Host))
        {
            // Counted as refused, like any Host this connection cannot serve: the site never saw the request.
            site = null;
            return MisdirectedAsync(context, request.Host.Host, serverName);
        }
        if (site.Options.RedirectToHttps && !request.IsHttps)
        {
            // An HTTPS-only site: plain HTTP is sent there before the cache is looked at (its entries are all https).
            return context.RequestServices.GetRequiredService<Tls.HttpsRedirect>().WriteAsync(context);
        }
        var cacheControl = CacheControl.Parse(request.Headers.CacheControl);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return PassAsync(context, new EdgeRequest(site, KeyFor(site, request), cacheControl, default), ForwardReason.Method, stored: null);
        }
        var directives = RequestDirectives.From(cacheControl, PragmaNoCache.IsPresent(request.Headers.Pragma), site.IgnoreClientNoCache);
        if (directives.NoStore)
        {
            return PassAsync(context, new EdgeRequest(site, KeyFor(site, request), cacheControl, directives), ForwardReason.Request, stored: null);
        }
        if (!TryFindByChars(request, out var found))
        {
            return LookupAsync(context, new EdgeRequest(site, KeyFor(site, request), cacheControl, directives));
        }
        // Looked up already: a hit is answered without the key's string; anything else makes it and goes on.
        if (found is null || !found.Body.TryAcquire())
        {
            return ForwardAsync(context, new EdgeRequest(site, KeyFor(site, request), cacheControl, directives), entry: null, collapsed: false);
        }
        return TryDeliverHit(context, site, found, directives, cacheControl, collapsed: false, out var hit) ? hit
            : ForwardLeasedAsync(context, new EdgeRequest(site, KeyFor(site, request), cacheControl, directives), found, collapsed: false);
    }

    /// <summary>
    /// The lookup of the common request, before the key's string is made: its characters are written on the stack and
    /// looked up as they are, so a hit allocates no key. False when that cannot be done (a query string, which the
    /// site's query policy rewrites; a key too long for the stack): the caller looks up by the key's string.
    /// </summary>
    private bool TryFindByChars(HttpRequest request, out CacheEntry? found)
    {
        found = null;
        if (request.QueryString.HasValue)
        {
            return false;
        }
        Span<char> chars = stackalloc char[256];
        var length = CacheKey.Format(chars, request.Scheme, request.Host.Value, request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), "");
        if (length < 0)
        {
            return false;
        }
        found = _store.Find(chars[..length], request.Headers, StoragePlanner.Matches);
        return true;
    }

    // lookup: a fresh entry is a hit; a stale one is served (max-stale, stale-while-revalidate) or revalidated;
    // anything else is a miss, filled through one origin request (coalesced) or passed (HEAD).
    private Task LookupAsync(HttpContext context, EdgeRequest r, bool collapsed = false)
    {
        var entry = _store.Find(r.Key, context.Request.Headers, StoragePlanner.Matches);
        // A lease on the stored body for as long as this request may send it or stand it in for the origin. None to be
        // had: the entry was evicted or purged between the lookup and now, and this is a miss.
        if (entry is null || !entry.Body.TryAcquire())
        {
            return ForwardAsync(context, r, entry: null, collapsed);
        }
        return TryDeliverHit(context, r.Site, entry, r.Directives, r.CacheControl, collapsed, out var hit) ? hit : ForwardLeasedAsync(context, r, entry, collapsed);
    }

    /// <summary>
    /// Answers from a leased entry when it may be used as it is (fresh, stale the visitor accepts, or stale while it is
    /// revalidated in the background); the lease goes with the answer. False, lease still held, when it may not.
    /// </summary>
    private bool TryDeliverHit(HttpContext context, Site site, CacheEntry entry, RequestDirectives directives, CacheControl cacheControl, bool collapsed,
        out Task delivered)
    {
        delivered = Task.CompletedTask;
        try
        {
            var now = _time.GetUtcNow();
            switch (ReusePolicy.Decide(entry, directives, now, site.StaleWhileRevalidate))
            {
                case ReuseDecision.Fresh:
                case ReuseDecision.StaleAccepted:
                    delivered = DeliverLeasedAsync(context, site, entry, now, CacheStatus.ForHit(TimeSpan.Zero) with { Collapsed = collapsed });
                    return true;
                case ReuseDecision.StaleWhileRevalidate:
                    _revalidator.Start(entry, site, context.Request, cacheControl);
                    delivered = DeliverLeasedAsync(context, site, entry, now, CacheStatus.ForHit(TimeSpan.Zero) with { Detail = "stale-while-revalidate" });
                    return true;
                default:
                    return false;
            }
        }
        catch
        {
            entry.Body.Release();
            throw;
        }
    }

    // A stale entry, leased, goes to the origin with the request: revalidated, or standing in if the origin fails.
    private Task ForwardLeasedAsync(HttpContext context, EdgeRequest r, CacheEntry entry, bool collapsed)
    {
        Task used;
        try
        {
            used = ForwardAsync(context, r, entry, collapsed);
        }
        catch
        {
            entry.Body.Release();
            throw;
        }
        return ReleaseAfterAsync(used, entry.Body);
    }

    private static async Task ReleaseAfterAsync(Task use, StoredBody body)
    {
        try
        {
            await use;
        }
        finally
        {
            body.Release();
        }
    }

    // A hit and its lease, which ends when the write does: at once when the body went out in one write. (Should the
    // writer throw before it returns a task, TryDeliverHit gives the lease back.)
    private static Task DeliverLeasedAsync(HttpContext context, Site site, CacheEntry entry, DateTimeOffset now, CacheStatus status)
    {
        var delivered = DeliverAsync(context, site, entry, now, status);
        if (delivered.IsCompletedSuccessfully)
        {
            entry.Body.Release();
            return delivered;
        }
        return ReleaseAfterAsync(delivered, entry.Body);
    }

    // stale or missing: revalidated, filled or passed; a stale entry (leased by the caller) stands in if the origin fails.
    private Task ForwardAsync(HttpContext context, EdgeRequest r, CacheEntry? entry, bool collapsed)
    {
        var request = context.Request;
        var reason = entry is not null ? (r.Directives.NoCache ? ForwardReason.Request : ForwardReason.Stale)
            : _store.Contains(r.Key) ? ForwardReason.VaryMiss : ForwardReason.UriMiss;
        if (r.Directives.OnlyIfCached)
        {
            return GatewayTimeoutAsync(context);
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            // HEAD: the origin's answer carries no body to store.
            return PassAsync(context, r, reason, entry);
        }
        // A follower that already waited, or a URL that is not shareable, goes straight to the origin.
        return collapsed || _hitForPass.IsActive(r.Key)
            ? FillAsync(context, r, reason, entry, collapsed)
            : CoalescedFillAsync(context, r, reason, entry);
    }

    // miss or revalidation: concurrent requests for one URL make one origin request; the others wait and look up again.
    private async Task CoalescedFillAsync(HttpContext context, EdgeRequest r, ForwardReason reason, CacheEntry? stored)
    {
        if (_coalescer.TryLead(r.Key, out var flight))
        {
            var outcome = FlightOutcome.Failed;
            var delivery = Task.CompletedTask;
            try
            {
                (outcome, delivery) = await FetchAndStoreAsync(context, r, reason, stored, collapsed: false, flight);
            }
            finally
            {
                _coalescer.Land(r.Key, flight, outcome);
            }
            // The flight lands once the origin's answer is stored; this visitor's own copy of it may still be going out.
            await delivery;
            return;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(_origin.ActivityTimeout);
        try
        {
            // A large storable answer is published while it arrives: a follower it answers streams it from there.
            if (await Task.WhenAny(flight.Landed, flight.Streaming).WaitAsync(wait.Token) == flight.Streaming)
            {
                var fill = await flight.Streaming;
                var now = _time.GetUtcNow();
                // No lease: the fill is over and let go of the body, and the store has it (or not) by now.
                if (StreamedFillWriter.Answers(context.Request, fill, r.Directives, now, r.Site.StaleWhileRevalidate) && fill.Body.TryAcquire())
                {
                    try
                    {
                        await StreamedFillWriter.WriteAsync(context, fill, now, _origin.ActivityTimeout);
                    }
                    finally
                    {
                        fill.Body.Release();
                    }
                    return;
                }
            }
            await flight.Landed.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The leader is slow: stop waiting and go to the origin like it did.
        }
        await LookupAsync(context, r, collapsed: true);
    }

    // A fill that leads no flight: done when the visitor has the whole answer.
    private async Task FillAsync(HttpContext context, EdgeRequest r, ForwardReason reason, CacheEntry? stored, bool collapsed)
    {
        var (_, delivery) = await FetchAndStoreAsync(context, r, reason, stored, collapsed, flight: null);
        await delivery;
    }

    // fetch → store → deliver: the origin's response streams to the visitor while its body is captured for the store.
    // Returns once the answer is stored, with what is left of the visitor's copy: a large body is read from the origin
    // apart from the visitor (BodyCaptureStream), so a slow visitor may still be reading it.
    private async Task<(FlightOutcome Outcome, Task Delivery)> FetchAndStoreAsync(HttpContext context, EdgeRequest r, ForwardReason reason,
        CacheEntry? stored, bool collapsed, Flight? flight)
    {
        var fetch = _fill.Begin(r.Site, r.Key, reason, r.CacheControl, stored, collapsed, flight);
        FetchOutcome fetched;
        FlightOutcome outcome;
        try
        {
            fetched = await _origin.FetchAsync(context, fetch);
            outcome = _fill.Store(fetch, fetched);
        }
        finally
        {
            // Stored or not, the fill is done with the body it brought: the visitor had it as it passed.
            fetch.ReleaseBody();
        }
        await FinishAsync(context, fetch, fetched);
        return (outcome, fetch.Capture?.Delivery ?? Task.CompletedTask);
    }

    // pass: the request goes to the origin as it is and nothing it brings is stored.
    private async Task PassAsync(HttpContext context, EdgeRequest r, ForwardReason reason, CacheEntry? stored)
    {
        var fetch = new OriginFetch
        {
            Site = r.Site, Key = r.Key, Reason = reason, Mode = FetchMode.Pass, RequestCacheControl = r.CacheControl,
            RequestTime = _time.GetUtcNow(), Stored = stored,
        };
        var fetched = await _origin.FetchAsync(context, fetch);
        if (fetched.OriginStatus < 400 && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            InvalidateAfterUnsafeMethod(context.Request, context.Response.Headers, r.Key);
        }
        await FinishAsync(context, fetch, fetched);
    }

    // deliver what the fetch left to deliver: a stored entry standing in for the origin's answer.
    private Task FinishAsync(HttpContext context, OriginFetch fetch, FetchOutcome fetched)
    {
        var site = fetch.Site;
        switch (fetched.Result)
        {
            case FetchResult.Validated:
            case FetchResult.Stale:
                // A 304 confirmed the stored entry, or the origin failed and stale-if-error allows it.
                return DeliverAsync(context, site, fetched.Entry!, _time.GetUtcNow(), fetched.Status);
            case FetchResult.Failed:
                Log.OriginFailed(_logger, site.Name, fetch.Origin, fetched.Error);
                break;
        }
        return Task.CompletedTask;
    }

    // deliver (from the store)
    private static Task DeliverAsync(HttpContext context, Site site, CacheEntry entry, DateTimeOffset now, CacheStatus status) =>
        CachedResponseWriter.WriteAsync(context, entry, now, status, site.MaxRanges);

    /// <summary>
    /// RFC 9111 §4.4: a successful unsafe request invalidates the target URI, and the Location and
    /// Content-Location URIs when they are on the same host (never another's: that would let one site purge another).
    /// </summary>
    private void InvalidateAfterUnsafeMethod(HttpRequest request, IHeaderDictionary responseHeaders, CacheKey key)
    {
        _store.InvalidateUrl(key, soft: false);
        var requestUri = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        foreach (var location in new[] { responseHeaders.Location.ToString(), responseHeaders.ContentLocation.ToString() })
        {
            if (location.Length > 0 && Uri.TryCreate(requestUri, location, out var target) && HttpUrl.IsHttp(target)
                && string.Equals(target.Authority, requestUri.Authority, StringComparison.OrdinalIgnoreCase))
            {
                _store.InvalidateUrl(CacheKey.FromUrl(target), soft: false);
            }
        }
    }

    private static CacheKey KeyFor(Site site, HttpRequest request)
    {
        var query = request.QueryString.ToUriComponent();
        if (query.Length > 0)
        {
            query = site.Query.Normalize(query);
        }
        // Path in its escaped form, as a purge URL names it: Kestrel hands over /café decoded.
        return CacheKey.Create(request.Scheme, request.Host.Value!, string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), query));
    }

    private static Task GatewayTimeoutAsync(HttpContext context)
    {
        // RFC 9111 §5.2.1.7: only-if-cached with nothing usable stored.
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        CacheStatusField.Append(context.Response.Headers, CacheStatus.ForGenerated("only-if-cached"));
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
        pendingBans = _store.PendingBans,
        superseded = _store.Superseded,
        // Where the process's memory is: bodies in native memory (all stores of the process), and the GC's heap.
        memory = new
        {
            nativeBodyBytes = StoredBody.NativeBytes,
            gcHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
            gcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
        },
        purgeMark = context.RequestServices.GetRequiredService<Purging.PurgeListener>().Mark,
        // Answers since start, and how many came from the store (hit, stale, collapsed): the control plane's
        // dashboard turns two readings into a request rate and a hit ratio, and a new run into no figure.
        traffic = new
        {
            run = context.RequestServices.GetRequiredService<Observability.EdgeTraffic>().Run,
            requests = context.RequestServices.GetRequiredService<Observability.EdgeTraffic>().Requests,
            hits = context.RequestServices.GetRequiredService<Observability.EdgeTraffic>().Hits,
        },
        // Origins named by host that the edge resolves itself (Edge:Dns:Resolvers), the last re-resolve signal it
        // heard from the control plane, and how often it renewed its connections because an address left an answer.
        originNames = context.RequestServices.GetRequiredService<Resolving.OriginResolver>().Describe(),
        dnsChangeSerial = context.RequestServices.GetRequiredService<Resolving.OriginResolver>().LastChangeSerial,
        connectionRenewals = context.RequestServices.GetRequiredService<OriginConnections>().Renewals,
    });

    // Each origin address as this edge sees it, for the control plane's datacenter verdict.
    private static Task WriteOriginsAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(context.RequestServices.GetRequiredService<Health.OriginHealthMonitor>().Report);

    private static Task RefuseAsync(HttpContext context, string host)
    {
        // 421 Misdirected Request: this server is not configured to answer for that authority (RFC 9110 §15.5.20).
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync($"No site on this edge serves host '{host}'.\n");
    }

    private static Task MisdirectedAsync(HttpContext context, string host, string serverName)
    {
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync($"This connection was opened for '{serverName}', whose certificate is not for '{host}': open one for '{host}'.\n");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Origin of site {Site} at {Origin} failed: {Error}")]
        public static partial void OriginFailed(ILogger logger, string site, string origin, ForwarderError error);
    }
}
