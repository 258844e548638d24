using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Http.Headers;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Edge.Pipeline;

/// <summary>
/// The store step of a fill, shared by visitors' misses and revalidations and by background revalidations:
/// starts a fetch that may fill the cache, and puts what it brought into the store.
/// </summary>
internal sealed partial class CacheFill
{
    private readonly MemoryCacheStore _store;
    private readonly HitForPass _hitForPass;
    private readonly TimeProvider _time;
    private readonly ILogger<CacheFill> _logger;
    private readonly long _streamingThreshold;
    private readonly long _visitorBufferBytes;

    public CacheFill(MemoryCacheStore store, HitForPass hitForPass, EdgeOptions options, IOptions<KestrelServerOptions> server, TimeProvider time,
        ILogger<CacheFill> logger)
    {
        _streamingThreshold = options.StreamingThresholdBytes;
        // Unlimited (null): the server buffers a whole response, and no write ever waits on the visitor.
        _visitorBufferBytes = server.Value.Limits.MaxResponseBufferSize ?? long.MaxValue;
        _store = store;
        _hitForPass = hitForPass;
        _time = time;
        _logger = logger;
    }

    /// <param name="stored">The stale entry being revalidated, which also stands in if the origin fails.</param>
    /// <param name="flight">The flight this fill leads, if any: its followers may stream a large answer as it arrives.</param>
    public OriginFetch Begin(Site site, CacheKey key, ForwardReason reason, CacheControl requestCacheControl, CacheEntry? stored, bool collapsed = false,
        Flight? flight = null) => new()
    {
        Flight = flight,
        StreamingThreshold = _streamingThreshold,
        VisitorBufferBytes = _visitorBufferBytes,
        Site = site,
        Key = key,
        Reason = reason,
        Mode = FetchMode.Fill,
        RequestCacheControl = requestCacheControl,
        RequestTime = _time.GetUtcNow(),
        // Read before the request goes out: any purge from here on may be meant for what comes back.
        StartedAtGeneration = _store.Generation,
        Stored = stored,
        Collapsed = collapsed,
    };

    /// <summary>Stores what the fetch brought, and tells requests waiting on it what to do next.</summary>
    public FlightOutcome Store(OriginFetch fetch, FetchOutcome fetched)
    {
        switch (fetched.Result)
        {
            case FetchResult.Validated:
                _store.Replace(fetch.Stored!, fetched.Entry!);
                return FlightOutcome.Stored;
            case FetchResult.Stale:
                return FlightOutcome.Stored;
            case FetchResult.Failed:
                return FlightOutcome.Failed;
        }
        if (fetched.Entry is { } entry)
        {
            switch (_store.Store(entry))
            {
                case StoreResult.Stored:
                    _hitForPass.Clear(fetch.Key);
                    return FlightOutcome.Stored;
                case StoreResult.NoRoom:
                    Log.StoreFull(_logger, fetch.Key.Value, entry.Size);
                    return FlightOutcome.NotShareable;
                default:
                    // Superseded: a purge overtook this fetch and its body may be what was purged. Followers fetch afresh.
                    return FlightOutcome.Failed;
            }
        }
        if (fetched.OriginStatus < 500)
        {
            // The response could not be shared: let requests for this URL skip the queue for a while.
            _hitForPass.Mark(fetch.Key, fetch.Site.HitForPass);
        }
        return FlightOutcome.NotShareable;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Cache budget full: {Key} ({Bytes} bytes) not stored")]
        public static partial void StoreFull(ILogger logger, string key, long bytes);
    }
}
