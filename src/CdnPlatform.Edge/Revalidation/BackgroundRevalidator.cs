using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Forwarding;
using CdnPlatform.Edge.Pipeline;
using CdnPlatform.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Revalidation;

/// <summary>
/// stale-while-revalidate's second half: after a stale entry was served, asks the origin once (however
/// many visitors hit the stale entry meanwhile) and updates the store from its 304 or new response. The
/// fetch is a visitor's fill made on a copy of the request, so it goes out exactly as a foreground one would.
/// </summary>
internal sealed partial class BackgroundRevalidator
{
    private readonly OriginFetcher _origin;
    private readonly CacheFill _fill;
    private readonly RequestCoalescer _coalescer;
    private readonly ILogger<BackgroundRevalidator> _logger;

    public BackgroundRevalidator(OriginFetcher origin, CacheFill fill, RequestCoalescer coalescer, ILogger<BackgroundRevalidator> logger)
    {
        _origin = origin;
        _fill = fill;
        _coalescer = coalescer;
        _logger = logger;
    }

    /// <summary>Starts a revalidation of <paramref name="stale"/> unless one for its URL is already under way.</summary>
    public void Start(CacheEntry stale, Site site, HttpRequest request, CacheControl requestCacheControl)
    {
        if (!_coalescer.TryLead(stale.Key, out var flight))
        {
            return;
        }
        // The visitor's request ends before the revalidation does: it goes out on a copy of its own.
        var context = DetachedRequest.Copy(request, CancellationToken.None);
        var fetch = _fill.Begin(site, stale.Key, ForwardReason.Stale, requestCacheControl, stale);
        _ = Task.Run(async () =>
        {
            var outcome = FlightOutcome.Failed;
            try
            {
                var fetched = await _origin.FetchAsync(context, fetch);
                if (fetched.Result == FetchResult.Failed || fetched.Result == FetchResult.Stale)
                {
                    Log.Failed(_logger, stale.Key.Value, fetched.OriginStatus, fetched.Error);
                }
                outcome = _fill.Store(fetch, fetched);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                Log.Threw(_logger, stale.Key.Value, e);
            }
            finally
            {
                fetch.ReleaseBody();
                _coalescer.Land(stale.Key, flight, outcome);
            }
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Background revalidation of {Key} failed: origin status {Status}, {Error}")]
        public static partial void Failed(ILogger logger, string key, int? status, ForwarderError error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Background revalidation of {Key} failed")]
        public static partial void Threw(ILogger logger, string key, Exception exception);
    }
}
