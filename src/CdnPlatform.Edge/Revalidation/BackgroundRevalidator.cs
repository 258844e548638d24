using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Storage;
using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Revalidation;

/// <summary>
/// stale-while-revalidate's second half: after a stale entry was served, asks the origin once (however
/// many visitors hit the stale entry meanwhile) and updates the store from its 304 or new response.
/// Runs with no visitor attached, so it buffers the body instead of streaming it.
/// </summary>
internal sealed partial class BackgroundRevalidator
{
    private readonly HttpMessageInvoker _originClient;
    private readonly MemoryCacheStore _store;
    private readonly RequestCoalescer _coalescer;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackgroundRevalidator> _logger;

    public BackgroundRevalidator(HttpMessageInvoker originClient, MemoryCacheStore store, RequestCoalescer coalescer,
        EdgeOptions options, TimeProvider time, ILogger<BackgroundRevalidator> logger)
    {
        _originClient = originClient;
        _store = store;
        _coalescer = coalescer;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts a revalidation of <paramref name="stale"/> unless one for its URL is already under way.</summary>
    public void Start(CacheEntry stale, SiteOptions site, HttpRequest request)
    {
        if (!_coalescer.TryLead(stale.Key, out var flight))
        {
            return;
        }
        // The visitor's request ends before the revalidation does: keep what the origin request needs.
        var headers = new HeaderDictionary();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values;
        }
        var target = new Uri(new Uri(site.Origin), string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent()));
        var host = request.Host.Value!;
        _ = Task.Run(async () =>
        {
            var outcome = FlightOutcome.Failed;
            try
            {
                outcome = await RevalidateAsync(stale, site, target, host, headers);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                Log.Failed(_logger, stale.Key.Value, e);
            }
            finally
            {
                _coalescer.Land(stale.Key, flight, outcome);
            }
        });
    }

    private async Task<FlightOutcome> RevalidateAsync(CacheEntry stale, SiteOptions site, Uri target, string host, HeaderDictionary requestHeaders)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation(SurrogateCapability.Header, SurrogateCapability.Value);
        foreach (var name in stale.Vary.Names)
        {
            if (requestHeaders.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }
        if (stale.ETag is { } etag)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, etag);
        }
        if (stale.LastModified is { } lastModified)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, lastModified);
        }
        var requestTime = _time.GetUtcNow();
        var startedAt = _store.Generation;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.OriginActivityTimeoutSeconds));
        using var response = await _originClient.SendAsync(request, timeout.Token);
        var responseTime = _time.GetUtcNow();
        var responseHeaders = new HeaderDictionary();
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            responseHeaders[header.Key] = header.Value.ToArray();
        }
        if (response.StatusCode == System.Net.HttpStatusCode.NotModified)
        {
            _store.Replace(stale, StoragePlanner.Freshen(stale, responseHeaders, requestHeaders, requestTime, responseTime, site));
            return FlightOutcome.Stored;
        }
        var plan = StoragePlanner.Plan(stale.Key, HttpMethods.Get, requestHeaders, (int)response.StatusCode, responseHeaders, requestTime, responseTime, site);
        if (!plan.Decision.CanStore || plan.Entry is null || response.Content.Headers.ContentLength > _options.MaxObjectBytes)
        {
            return FlightOutcome.NotShareable;
        }
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        if (body.Length > _options.MaxObjectBytes)
        {
            return FlightOutcome.NotShareable;
        }
        return _store.Store(plan.Entry with { Body = body, FetchStartedAt = startedAt }) == StoreResult.Stored
            ? FlightOutcome.Stored
            : FlightOutcome.NotShareable;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Background revalidation of {Key} failed")]
        public static partial void Failed(ILogger logger, string key, Exception exception);
    }
}
