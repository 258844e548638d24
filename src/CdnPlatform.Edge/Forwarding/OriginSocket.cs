using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>Connections to origins that leave from a chosen local address (<c>Edge:OriginSourceAddress</c>).</summary>
internal static class OriginSocket
{
    /// <summary>
    /// A connect callback binding <paramref name="source"/> before connecting; null (SocketsHttpHandler's own
    /// connect) when no address is chosen, so the common case pays nothing. The handler's ConnectTimeout still
    /// applies: it cancels <c>cancellationToken</c>.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectFrom(IPAddress? source) =>
        source is null ? null : async (context, cancellationToken) =>
        {
            var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
