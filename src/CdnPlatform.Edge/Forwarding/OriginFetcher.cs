using System.Diagnostics;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Observability;
using CdnPlatform.Edge.Resolving;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Makes the trip to a site's origin for a request, through YARP's forwarder: the origin's response streams to
/// the request's own response while a fill keeps a copy of the body. Visitors' requests and background
/// revalidations (on a request of their own, <see cref="DetachedRequest"/>) take the same path. When an origin
/// address cannot be reached the same trip goes on to the site's next address (<see cref="OriginSelection"/>),
/// so a dead gateway of a datacenter's pair costs the visitor a refused connection, not an error. The addresses
/// are the site's as <see cref="OriginResolver"/> last resolved them.
/// </summary>
internal sealed partial class OriginFetcher
{
    private readonly IHttpForwarder _forwarder;
    private readonly OriginConnections _connections;
    private readonly OriginResolver _resolver;
    private readonly OriginTransformer _transformer;
    private readonly RecentOriginFailures _failures;
    private readonly TimeProvider _time;
    private readonly ILogger<OriginFetcher> _logger;
    private readonly ForwarderRequestConfig _config;
    private readonly long _maxObjectBytes;
    private readonly TimeSpan _connectTimeout;
    private readonly EdgeMetrics _metrics;

    public OriginFetcher(IHttpForwarder forwarder, OriginConnections connections, OriginResolver resolver, OriginTransformer transformer,
        RecentOriginFailures failures, TimeProvider time, EdgeOptions options, EdgeMetrics metrics, ILogger<OriginFetcher> logger)
    {
        _metrics = metrics;
        _forwarder = forwarder;
        _connections = connections;
        _resolver = resolver;
        _transformer = transformer;
        _failures = failures;
        _time = time;
        _logger = logger;
        _maxObjectBytes = options.MaxObjectBytes;
        ActivityTimeout = TimeSpan.FromSeconds(options.OriginActivityTimeoutSeconds);
        _connectTimeout = TimeSpan.FromSeconds(options.OriginConnectTimeoutSeconds);
        _config = new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout };
    }

    /// <summary>How long the origin may stay silent before a fetch is given up.</summary>
    public TimeSpan ActivityTimeout { get; }

    public async Task<FetchOutcome> FetchAsync(HttpContext context, OriginFetch fetch)
    {
        context.Features.Set(fetch);
        var body = context.Response.Body;
        var visitorGone = context.RequestAborted;
        var stopOn = CancellationToken.None;
        if (fetch.Mode == FetchMode.Fill)
        {
            // Made first: the visitor's copy of a large body stops when the visitor leaves, the fill does not.
            fetch.Capture = new BodyCaptureStream(context, _maxObjectBytes, ActivityTimeout);
            context.Response.Body = fetch.Capture;
            // The forwarder links the request's abort into everything it does: the fill's request goes without it.
            stopOn = fetch.OutliveVisitor(visitorGone);
            context.RequestAborted = CancellationToken.None;
        }
        ForwarderError error;
        var started = Stopwatch.GetTimestamp();
        try
        {
            error = await ForwardAsync(context, fetch, stopOn);
            if (fetch.Unanswered)
            {
                // No address answered: the failure is the visitor's answer now, unless a stored entry stands in.
                fetch.OnResponseHeaders(context, originResponse: null, _time.GetUtcNow(), _maxObjectBytes);
            }
        }
        catch
        {
            fetch.Abandon();
            throw;
        }
        finally
        {
            if (fetch.Mode == FetchMode.Fill)
            {
                context.RequestAborted = visitorGone;
                fetch.EndOutliving();
            }
            context.Response.Body = body;
            context.Features.Set<OriginFetch>(null);
            OriginTiming.Add(context, started);
        }
        var outcome = fetch.Complete(error);
        _metrics.RecordOriginFetch(fetch.Site.Name, ResultLabel(outcome.Result), Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    private static string ResultLabel(FetchResult result) => result switch
    {
        FetchResult.Forwarded => "forwarded",
        FetchResult.Validated => "validated",
        FetchResult.Stale => "stale",
        _ => "failed",
    };

    // Tries the site's addresses in the order OriginSelection gives until one answers or it says to give up.
    private async Task<ForwarderError> ForwardAsync(HttpContext context, OriginFetch fetch, CancellationToken stopOn)
    {
        var siteOrigins = _resolver.For(fetch.Site);
        var group = siteOrigins.Group;
        if (group.FailoverAt == 0)
        {
            // No primary address: only before the site's names were first resolved (or after every resolver failed
            // for a day). It is the one time a request waits on DNS, as long as it would wait for a connection.
            group = await siteOrigins.WaitForAddressAsync(_connectTimeout, context.RequestAborted);
            if (group.Addresses.Count == 0)
            {
                return NoAddress(context, fetch, siteOrigins.Configured);
            }
        }
        var idempotent = OriginSelection.MayRepeat(context.Request.Method);
        var tried = new List<string>(group.Addresses.Count);
        var origin = OriginSelection.Next(group, _failures.IsRecent, tried, failure: null, idempotent)!;
        while (true)
        {
            tried.Add(origin);
            // Only a request that may be sent twice is given up for being slow: another address will get it again.
            using var deadline = idempotent && fetch.Site.OriginResponseTimeout is { } limit ? new ResponseDeadline(limit, stopOn) : null;
            fetch.BeginAttempt(origin, group.IsFailover(origin),
                mayFailOverOnStatus: OriginSelection.Next(group, _failures.IsRecent, tried, OriginFailure.FailoverStatus, idempotent) is not null,
                deadline);
            ForwarderError error;
            using (var connections = _connections.Rent())
            {
                error = await _forwarder.SendAsync(context, origin, connections.Client, _config, _transformer, deadline?.Token ?? stopOn);
            }
            var timedOut = fetch.ResponseDeadlinePassed && !stopOn.IsCancellationRequested;
            var failure = fetch.AnsweredWithFailoverStatus ? OriginFailure.FailoverStatus
                : timedOut ? OriginFailure.NoResponse
                : error == ForwarderError.None ? (OriginFailure?)null
                : OriginSelection.Classify(error, context.Features.Get<IForwarderErrorFeature>()?.Exception, answered: !fetch.Unanswered);
            if (!fetch.Unanswered)
            {
                // It answered, if only with a failover status: it is up, so later fetches still try it first.
                _failures.Answered(origin);
            }
            if (failure is null or OriginFailure.Other)
            {
                return error;
            }
            if (failure != OriginFailure.FailoverStatus)
            {
                _failures.Failed(origin);
            }
            // Never null after a failover status: the attempt began only knowing the failover origin would take it.
            var next = OriginSelection.Next(group, _failures.IsRecent, tried, failure, idempotent);
            if (next is null)
            {
                if (timedOut)
                {
                    // YARP reports its cancelled attempt as 502; the origin was reached and did not answer in time.
                    context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                }
                return error;
            }
            if (failure == OriginFailure.FailoverStatus)
            {
                Log.FailingOver(_logger, fetch.Site.Name, origin, context.Response.StatusCode, next);
            }
            else if (timedOut)
            {
                Log.NoResponseInTime(_logger, fetch.Site.Name, origin, fetch.Site.OriginResponseTimeout!.Value.TotalSeconds, next);
            }
            else
            {
                Log.TryingNextOrigin(_logger, fetch.Site.Name, origin, failure.Value, error, next);
            }
            // Nothing has reached the visitor yet: undo the forwarder's 502/504 (or the dropped answer) and go again.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            origin = next;
        }
    }

    // No address to send to: the fetch ends as one whose every address refused, 502 unless a stored entry stands in.
    private static ForwarderError NoAddress(HttpContext context, OriginFetch fetch, string configured)
    {
        fetch.BeginAttempt(configured);
        fetch.OnNoAnswer();
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        return ForwarderError.NoAvailableDestinations;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Origin {Origin} of site {Site} failed ({Failure}, {Error}); trying {Next}")]
        public static partial void TryingNextOrigin(ILogger logger, string site, string origin, OriginFailure failure, ForwarderError error, string next);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Origin {Origin} of site {Site} sent no response headers within {Seconds} s (OriginResponseTimeoutSeconds); trying {Next}")]
        public static partial void NoResponseInTime(ILogger logger, string site, string origin, double seconds, string next);

        // Debug: while the primary answers 503 every request fails over, and each would otherwise be a log line.
        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Origin {Origin} of site {Site} answered {Status}; the failover origin {Next} answers instead")]
        public static partial void FailingOver(ILogger logger, string site, string origin, int status, string next);
    }
}
