using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// Drops a datagram shorter than a DNS header (12 bytes) before the server parses it. The library answers a
/// packet it cannot parse with an error response of at least a header, which for a 1-byte packet is a
/// twelve-fold amplification a spoofed source could aim at someone; nothing shorter than a header can be a
/// query, so nothing is lost.
/// </summary>
internal sealed class ShortPacketFilter(IServerTransport inner) : ServerTransportFilter(inner)
{
    private const int HeaderLength = 12;

    protected override Task<DnsReceivedRawPackage?> FilterAsync(IServerConnection connection, DnsReceivedRawPackage package, CancellationToken token) =>
        Task.FromResult(package.Length >= HeaderLength ? package : null);
}
