using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// First in the proxy pipeline: reads pass; a write waits while <see cref="WriteControl"/> holds writes (then 503
/// with Retry-After if the hold outlasts <c>Gateway:WriteHoldSeconds</c>), goes to this datacenter's nodes when
/// writes are open, or to another datacenter's gateways when they are forwarded. A held write has not reached
/// any node, so after the hold it is sent exactly once, wherever the mode says then.
/// </summary>
public sealed partial class WriteHoldMiddleware
{
    private static readonly HttpTransformer KeepHost = new HostKeepingTransformer();

    private readonly RequestDelegate _next;
    private readonly WriteControl _control;
    private readonly IHttpForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdLimit;
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
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsRead(context.Request.Method))
        {
            await _next(context);
            return;
        }
        while (true)
        {
            var (mode, forwardTo, released) = _control.Enter();
            if (mode == WriteMode.Hold)
            {
                if (!await _control.WaitAsync(released, _holdLimit, _time, context.RequestAborted))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    context.Response.Headers.CacheControl = "no-store";
                    await context.Response.WriteAsync($"writes are held for a datacenter switchover and did not resume within {_holdLimit.TotalSeconds:0} s; nothing was done, try again",
                        context.RequestAborted);
                    return;
                }
                continue;
            }
            try
            {
                if (mode == WriteMode.Forward)
                {
                    await ForwardAsync(context, forwardTo);
                }
                else
                {
                    await _next(context);
                }
            }
            finally
            {
                _control.Exit();
            }
            return;
        }
    }

    // Tries the other datacenter's gateways in order; moves on only when nothing reached the one tried.
    private async Task ForwardAsync(HttpContext context, IReadOnlyList<Uri> gateways)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            var error = await _forwarder.SendAsync(context, gateways[i].ToString(), _peers, ForwarderRequestConfig.Empty, KeepHost);
            var failure = AttemptFailures.Classify(error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
            if (failure != AttemptFailure.NotConnected || i == gateways.Count - 1 || context.Response.HasStarted)
            {
                return;
            }
            Log.PeerUnreached(_logger, context.Request.Method, context.Request.Path, gateways[i], gateways[i + 1]);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
        }
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
    }
}
