using System.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// A transport that looks at each received packet before ARSoft's server parses it, for what the parser cannot
/// judge or would answer badly: <see cref="FilterAsync"/> passes the packet on, or answers or drops it itself.
/// </summary>
/// <remarks>
/// It also closes each connection once it has no more to read and every query it passed on is answered. ARSoft
/// 3.6.1's server never disposes a connection whose last read came back empty (its reference count keeps the
/// read it began), so a TCP connection would otherwise stay open, unanswered side and all, until the collector
/// finalizes its socket.
/// </remarks>
internal abstract class ServerTransportFilter(IServerTransport inner) : IServerTransport
{
    public ushort DefaultAllowedResponseSize => inner.DefaultAllowedResponseSize;

    public bool SupportsMultipleResponses => inner.SupportsMultipleResponses;

    public bool AllowTruncatedResponses => inner.AllowTruncatedResponses;

    public TransportProtocol TransportProtocol => inner.TransportProtocol;

    public void Bind() => inner.Bind();

    public void Close() => inner.Close();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token) =>
        await inner.AcceptConnectionAsync(token) is { } connection ? new Connection(this, connection) : null;

    public void Dispose() => inner.Dispose();

    /// <summary>The packet for the server to parse and answer, or null when it gets nothing more (the connection then ends).</summary>
    protected abstract Task<DnsReceivedRawPackage?> FilterAsync(IServerConnection connection, DnsReceivedRawPackage package, CancellationToken token);

    private sealed class Connection(ServerTransportFilter filter, IServerConnection inner) : IServerConnection
    {
        // Queries passed to the server whose answer is not sent yet; the connection closes when it is 0 after the end.
        private int _unanswered;
        private int _ended;
        private int _closed;

        public IServerTransport Transport => inner.Transport;

        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool CanRead => inner.CanRead;

        public Task<bool> InitializeAsync(CancellationToken token) => inner.InitializeAsync(token);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            var package = await inner.ReceiveAsync(token) is { } received ? await filter.FilterAsync(inner, received, token) : null;
            if (package is null)
            {
                Interlocked.Exchange(ref _ended, 1);
                if (Volatile.Read(ref _unanswered) == 0)
                {
                    Dispose();
                }
                return null;
            }
            Interlocked.Increment(ref _unanswered);
            return package;
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
        {
            try
            {
                return await inner.SendAsync(package, token);
            }
            finally
            {
                if (Interlocked.Decrement(ref _unanswered) <= 0 && Volatile.Read(ref _ended) == 1)
                {
                    Dispose();
                }
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                inner.Dispose();
            }
        }
    }
}
