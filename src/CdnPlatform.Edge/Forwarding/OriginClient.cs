using System.Net;
using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>The connection pool to origins: one per edge, shared by every site, as YARP recommends.</summary>
internal static class OriginClient
{
    public static HttpMessageInvoker Create(EdgeOptions options) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        // The edge stores and serves exactly the bytes the origin sent, in whatever encoding.
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(options.OriginConnectTimeoutSeconds),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    }, disposeHandler: true);
}
