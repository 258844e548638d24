using CdnPlatform.Edge.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Makes the trip to a site's origin for a request, through YARP's forwarder: the origin's response streams to
/// the request's own response while a fill keeps a copy of the body. Visitors' requests and background
/// revalidations (on a request of their own, <see cref="DetachedRequest"/>) take the same path.
/// </summary>
internal sealed class OriginFetcher
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly OriginTransformer _transformer;
    private readonly ForwarderRequestConfig _config;
    private readonly long _maxObjectBytes;

    public OriginFetcher(IHttpForwarder forwarder, HttpMessageInvoker client, OriginTransformer transformer, EdgeOptions options)
    {
        _forwarder = forwarder;
        _client = client;
        _transformer = transformer;
        _maxObjectBytes = options.MaxObjectBytes;
        ActivityTimeout = TimeSpan.FromSeconds(options.OriginActivityTimeoutSeconds);
        _config = new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout };
    }

    /// <summary>How long the origin may stay silent before a fetch is given up.</summary>
    public TimeSpan ActivityTimeout { get; }

    public async Task<FetchOutcome> FetchAsync(HttpContext context, OriginFetch fetch)
    {
        context.Features.Set(fetch);
        var body = context.Response.Body;
        if (fetch.Mode == FetchMode.Fill)
        {
            fetch.Capture = new BodyCaptureStream(body, _maxObjectBytes);
            context.Response.Body = fetch.Capture;
        }
        ForwarderError error;
        try
        {
            error = await _forwarder.SendAsync(context, fetch.Site.Origin, _client, _config, _transformer);
        }
        finally
        {
            context.Response.Body = body;
            context.Features.Set<OriginFetch>(null);
        }
        return fetch.Complete(error);
    }
}
