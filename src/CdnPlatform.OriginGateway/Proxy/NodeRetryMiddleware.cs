using CdnPlatform.OriginGateway.Drain;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>
/// Sends a request whose attempt at a node failed to another node, within the same visitor request, so that
/// a node dying under load costs visitors nothing. YARP has no retries of its own: this runs in the proxy
/// pipeline ahead of load balancing, calls the rest of the pipeline again with the nodes the request has not tried,
/// chosen among as new requests are (<see cref="DrainAwareDestinationsPolicy"/>, with health and drains as they are
/// now), and lets <see cref="RetryPolicy"/> decide whether it may. Passive health sees every attempt, so a node
/// failing retried requests still leaves rotation.
/// <para>
/// Choosing among the untried nodes, not removing the tried ones from the nodes available to every request, matters
/// when the node that failed was the only healthy one: a node just restarted that no probe has seen yet, or one whose
/// probes timed out on a loaded host, is still worth a try before the visitor gets a 502, as a panic is for new
/// requests. Seen as a 502 on a read right after a node kill while the other two were out of rotation.
/// </para>
/// </summary>
public sealed partial class NodeRetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly int _maxRetries;
    private readonly DrainedNodes _drained;
    private readonly ILogger<NodeRetryMiddleware> _logger;

    public NodeRetryMiddleware(RequestDelegate next, OriginGatewayOptions options, DrainedNodes drained, ILogger<NodeRetryMiddleware> logger)
    {
        _next = next;
        _maxRetries = options.MaxRetries;
        _drained = drained;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        List<DestinationState>? tried = null;
        for (var retries = 0; ; retries++)
        {
            await _next(context);
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }
            (tried ??= new List<DestinationState>(_maxRetries + 1)).Add(failed);
            // Health and drains as they are now, not as the request found them: a node drained or taken out meanwhile
            // gets no retry while another can have it.
            var untried = DrainAwareDestinationsPolicy.Choose(Without(proxy.Route.Cluster?.DestinationsState.AllDestinations ?? [], tried), _drained);
            var failure = AttemptFailures.Classify(error.Error, error.Exception);
            var decision = RetryPolicy.Decide(context.Request.Method, failure, retries, _maxRetries, context.Response.HasStarted, untried.Count);
            if (decision != RetryDecision.Retry)
            {
                if (retries > 0)
                {
                    Log.GaveUp(_logger, context.Request.Method, context.Request.Path, failed.DestinationId, failure, retries, decision);
                }
                return;
            }
            Log.Retrying(_logger, context.Request.Method, context.Request.Path, failed.DestinationId, failure, retries + 1, _maxRetries);
            // Undo what the failed attempt left: the forwarder's 502/504 and its error, the node it chose.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.ProxiedDestination = null;
            proxy.AvailableDestinations = untried;
        }
    }

    private static List<DestinationState> Without(IReadOnlyList<DestinationState> candidates, List<DestinationState> tried)
    {
        var untried = new List<DestinationState>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (!tried.Contains(candidate))
            {
                untried.Add(candidate);
            }
        }
        return untried;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} failed at {Node} ({Failure}); retry {Retry} of {MaxRetries} on another node")]
        public static partial void Retrying(ILogger logger, string method, PathString path, string node, AttemptFailure failure, int retry, int maxRetries);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Method} {Path} failed at {Node} ({Failure}) after {Retries} retries: {Decision}")]
        public static partial void GaveUp(ILogger logger, string method, PathString path, string node, AttemptFailure failure, int retries, RetryDecision decision);
    }
}
