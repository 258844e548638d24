using System.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// A transport that looks at each received packet before ARSoft's server parses it, for what the parser cannot
/// judge or would answer badly: <see cref="FilterAsync"/> passes the packet on, or answers or drops it itself.
/// </summary>
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
        public IServerTransport Transport => inner.Transport;

        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool CanRead => inner.CanRead;

        public Task<bool> InitializeAsync(CancellationToken token) => inner.InitializeAsync(token);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token) =>
            await inner.ReceiveAsync(token) is { } package ? await filter.FilterAsync(inner, package, token) : null;

        public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token) => inner.SendAsync(package, token);

        public void Dispose() => inner.Dispose();
    }
}
