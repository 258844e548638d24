using System.Net;
using System.Text;
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
        // Per scheme, host and port: the edge sends each fetch to one resolved address (OriginConnections).
        MaxConnectionsPerServer = options.MaxOriginConnectionsPerAddress > 0 ? options.MaxOriginConnectionsPerAddress : int.MaxValue,
        // obs-text (RFC 9110 §5.5) in an origin's field values passes through byte for byte instead of failing the fetch.
        ResponseHeaderEncodingSelector = static (_, _) => Encoding.Latin1,
        RequestHeaderEncodingSelector = static (_, _) => Encoding.Latin1,
        ConnectCallback = OriginSocket.ConnectFrom(options.OriginSource),
    }, disposeHandler: true);
}
