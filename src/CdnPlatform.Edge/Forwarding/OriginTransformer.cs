using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Storage;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Shapes the request to the origin and hands the origin's response fields to the request's
/// <see cref="OriginFetch"/> before a byte of body reaches the visitor.
/// </summary>
internal sealed class OriginTransformer : HttpTransformer
{
    /// <summary>This CDN's id in CDN-Loop (RFC 8586).</summary>
    public const string CdnLoopId = "CdnPlatform";

    private readonly TimeProvider _time;
    private readonly long _maxObjectBytes;

    public OriginTransformer(TimeProvider time, EdgeOptions options)
    {
        _time = time;
        _maxObjectBytes = options.MaxObjectBytes;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        // The origin serves by Host exactly as it would without a CDN in front; X-Forwarded-* tell it who asked.
        proxyRequest.Headers.Host = request.Host.Value;
        var client = httpContext.Connection.RemoteIpAddress?.ToString();
        if (client is not null)
        {
            var prior = request.Headers["X-Forwarded-For"].ToString();
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", prior.Length > 0 ? $"{prior}, {client}" : client);
        }
        proxyRequest.Headers.Remove("X-Forwarded-Proto");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        proxyRequest.Headers.Remove("X-Forwarded-Host");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        // RFC 8586: this CDN's id appended to the loop list. Behind the edges, it tells a gateway or a node that the
        // request came through a CDN on someone's behalf (they keep their /metrics from such requests).
        var loop = request.Headers[CdnPlatform.Observability.NodeMetrics.CdnLoopHeader].ToString();
        proxyRequest.Headers.Remove(CdnPlatform.Observability.NodeMetrics.CdnLoopHeader);
        proxyRequest.Headers.TryAddWithoutValidation(CdnPlatform.Observability.NodeMetrics.CdnLoopHeader, loop.Length > 0 ? $"{loop}, {CdnLoopId}" : CdnLoopId);
        // Tells the origin this cache understands Surrogate-Control targeted at it (Edge Architecture 1.0).
        proxyRequest.Headers.Remove(SurrogateCapability.Header);
        proxyRequest.Headers.TryAddWithoutValidation(SurrogateCapability.Header, SurrogateCapability.Value);
        httpContext.Features.Get<OriginFetch>()?.OnRequest(proxyRequest);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var fetch = httpContext.Features.Get<OriginFetch>();
        if (fetch is null)
        {
            return proceed;
        }
        if (proxyResponse is null)
        {
            // No answer: the fetcher may still try another address, so nothing about the failure is written yet.
            fetch.OnNoAnswer();
            return false;
        }
        if (!fetch.AnsweredInTime())
        {
            // Too late: the attempt was given up already, and another address answers instead.
            fetch.OnNoAnswer();
            return false;
        }
        if (fetch.FailsOver(proxyResponse))
        {
            // Not sent: the forwarder disposes the answer, and the fetcher asks the failover origin.
            return false;
        }
        return fetch.OnResponseHeaders(httpContext, proxyResponse, _time.GetUtcNow(), _maxObjectBytes) && proceed;
    }
}
