using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// First in the proxy pipeline: reads pass; a write waits while <see cref="WriteControl"/> holds writes (then 503
/// with Retry-After if the hold outlasts <c>Gateway:WriteHoldSeconds</c>), goes to this datacenter's nodes when
/// writes are open, or to another datacenter's gateways when they are forwarded. A held write has not reached
/// any node, so after the hold it is sent exactly once, wherever the mode says then.
/// <para>
/// A forwarded write that reaches none of the other datacenter's gateways (none accepts a connection: nothing was
/// sent) waits too, for as long, and goes again each time the mode is set or half a second passes: that datacenter
/// is being lost, and a failover opens this one's writes within seconds. So a shopper's write made while the active
/// datacenter dies is done late, once, instead of failing.
/// </para>
/// <para>
/// A node's acknowledgement that comes back after this datacenter's writes were forwarded away is not passed on
/// (<see cref="WriteAcknowledgement"/>): the visitor gets a 502 that says the write may not have been kept.
/// </para>
/// <para>
/// At most <c>Gateway:MaxHeldWrites</c> wait at once; a write past them is refused at once (503, Retry-After, nothing
/// done), so a long loss under a peak does not pile up requests and connections at the gateway.
/// </para>
/// </summary>
public sealed partial class WriteHoldMiddleware
{
    private static readonly HttpTransformer KeepHost = new HostKeepingTransformer();

    // How soon a write that reached no gateway of the other datacenter tries again when nothing sets the mode.
    private static readonly TimeSpan PeersRetry = TimeSpan.FromMilliseconds(500);

    private readonly RequestDelegate _next;
    private readonly WriteControl _control;
    private readonly IHttpForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdLimit;
    private readonly int _maxHeld;
    private readonly ILogger<WriteHoldMiddleware> _logger;
    private readonly HttpMessageInvoker _peers;

    public WriteHoldMiddleware(RequestDelegate next, WriteControl control, IHttpForwarder forwarder, TimeProvider time, OriginGatewayOptions options,
        ILogger<WriteHoldMiddleware> logger)
    {
        _next = next;
        _control = control;
        _peers = control.PeerClient;
        _forwarder = forwarder;
        _time = time;
        _holdLimit = TimeSpan.FromSeconds(options.WriteHoldSeconds);
        _maxHeld = options.MaxHeldWrites;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsRead(context.Request.Method))
        {
            await _next(context);
            return;
        }
        long? unreachedSince = null;
        var holding = false;
        try
        {
            while (true)
            {
                var (mode, forwardTo, released) = _control.Enter();
                if (mode == WriteMode.Hold)
                {
                    if (!holding && !(holding = _control.TryHold(_maxHeld, out _)))
                    {
                        await RefuseFullAsync(context);
                        return;
                    }
                    if (!await _control.WaitAsync(released, _holdLimit, _time, context.RequestAborted))
                    {
                        await RefuseAsync(context, $"writes are held for a datacenter switchover and did not resume within {_holdLimit.TotalSeconds:0} s");
                        return;
                    }
                    continue;
                }
                bool reachedNone;
                try
                {
                    if (mode == WriteMode.Forward)
                    {
                        reachedNone = !await ForwardAsync(context, forwardTo);
                    }
                    else
                    {
                        await SendToNodesAsync(context);
                        reachedNone = false;
                    }
                }
                finally
                {
                    _control.Exit();
                }
                if (!reachedNone)
                {
                    return;
                }
                unreachedSince ??= _time.GetTimestamp();
                var left = _holdLimit - _time.GetElapsedTime(unreachedSince.Value);
                // Nothing was sent anywhere: the forwarder's 502 is replaced by the wait, or by a 503 that says so.
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.Clear();
                if (left <= TimeSpan.Zero)
                {
                    await RefuseAsync(context, $"no gateway of the active datacenter answers and writes did not open here within {_holdLimit.TotalSeconds:0} s");
                    return;
                }
                if (!holding)
                {
                    if (!(holding = _control.TryHold(_maxHeld, out var first)))
                    {
                        await RefuseFullAsync(context);
                        return;
                    }
                    if (first)
                    {
                        // Once per episode (the first write held since none was), not once per write of a peak.
                        Log.WaitingForPeers(_logger, context.Request.Method, context.Request.Path, _holdLimit.TotalSeconds);
                    }
                }
                await _control.WaitForNextSetAsync(left < PeersRetry ? left : PeersRetry, _time, context.RequestAborted);
            }
        }
        finally
        {
            if (holding)
            {
                _control.Unhold();
            }
        }
    }

    // To this datacenter's nodes; an answer that came back after writes moved to another datacenter is not passed on.
    private async Task SendToNodesAsync(HttpContext context)
    {
        var write = new NodeWrite();
        context.Features.Set(write);
        try
        {
            await _next(context);
        }
        finally
        {
            context.Features.Set<NodeWrite>(null);
        }
        if (!write.Withheld || context.Response.HasStarted)
        {
            return;
        }
        Log.Withheld(_logger, context.Request.Method, context.Request.Path, context.Response.StatusCode);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync("this datacenter stopped taking writes while this one was at its node (a failover made another "
            + "datacenter active); it may not have been kept: check, and try again", context.RequestAborted);
    }

    private Task RefuseFullAsync(HttpContext context) =>
        RefuseAsync(context, $"{_maxHeld} writes are held at this gateway already (Gateway:MaxHeldWrites)");

    private static async Task RefuseAsync(HttpContext context, string why)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync($"{why}; nothing was done, try again", context.RequestAborted);
    }

    // Tries the other datacenter's gateways in order; moves on only when nothing reached the one tried. False when
    // nothing reached any of them (the visitor's answer not begun, the request body not read).
    private async Task<bool> ForwardAsync(HttpContext context, IReadOnlyList<Uri> gateways)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            var error = await _forwarder.SendAsync(context, gateways[i].ToString(), _peers, ForwarderRequestConfig.Empty, KeepHost);
            var failure = AttemptFailures.Classify(error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
            if (failure != AttemptFailure.NotConnected || context.Response.HasStarted)
            {
                return true;
            }
            if (i == gateways.Count - 1)
            {
                return false;
            }
            Log.PeerUnreached(_logger, context.Request.Method, context.Request.Path, gateways[i], gateways[i + 1]);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
        }
        return true;
    }

    private static bool IsRead(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>The visitor's Host goes on to the other datacenter, which routes and renders by it as this one does.</summary>
    private sealed class HostKeepingTransformer : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Method} {Path}: gateway {Gateway} of the primary datacenter is unreachable; trying {Next}")]
        public static partial void PeerUnreached(ILogger logger, string method, PathString path, Uri gateway, Uri next);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Method} {Path}: no gateway of the active datacenter answers; writes wait, each at most {Seconds} s, for them or for writes to open here")]
        public static partial void WaitingForPeers(ILogger logger, string method, PathString path, double seconds);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Method} {Path}: the node answered {Status} after this datacenter's writes moved to another one; answered 502 instead, the write may be lost with this datacenter's store")]
        public static partial void Withheld(ILogger logger, string method, PathString path, int status);
    }
}
