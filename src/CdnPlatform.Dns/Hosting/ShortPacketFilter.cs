using System.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// Drops a datagram shorter than a DNS header (12 bytes) before the server parses it. The library answers a
/// packet it cannot parse with an error response of at least a header, which for a 1-byte packet is a
/// twelve-fold amplification a spoofed source could aim at someone; nothing shorter than a header can be a
/// query, so nothing is lost.
/// </summary>
internal sealed class ShortPacketFilter(IServerTransport inner) : IServerTransport
{
    private const int HeaderLength = 12;

    public ushort DefaultAllowedResponseSize => inner.DefaultAllowedResponseSize;

    public bool SupportsMultipleResponses => inner.SupportsMultipleResponses;

    public bool AllowTruncatedResponses => inner.AllowTruncatedResponses;

    public TransportProtocol TransportProtocol => inner.TransportProtocol;

    public void Bind() => inner.Bind();

    public void Close() => inner.Close();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token) =>
        await inner.AcceptConnectionAsync(token) is { } connection ? new Connection(connection) : null;

    public void Dispose() => inner.Dispose();

    private sealed class Connection(IServerConnection inner) : IServerConnection
    {
        public IServerTransport Transport => inner.Transport;

        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool CanRead => inner.CanRead;

        public Task<bool> InitializeAsync(CancellationToken token) => inner.InitializeAsync(token);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token) =>
            await inner.ReceiveAsync(token) is { Length: >= HeaderLength } package ? package : null;

        public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token) => inner.SendAsync(package, token);

        public void Dispose() => inner.Dispose();
    }
}
