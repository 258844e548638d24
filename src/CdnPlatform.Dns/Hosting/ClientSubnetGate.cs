using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// Answers FORMERR to a query whose client subnet option is malformed (RFC 7871 §7.2.1), judged on the bytes
/// sent: ARSoft's parser reads an unknown FAMILY as IPv6, ignores the option's length, and drops the whole query
/// without an answer when SOURCE PREFIX-LENGTH is longer than the family's addresses.
/// </summary>
internal sealed class ClientSubnetGate(IServerTransport inner) : ServerTransportFilter(inner)
{
    protected override async Task<DnsReceivedRawPackage?> FilterAsync(IServerConnection connection, DnsReceivedRawPackage package, CancellationToken token)
    {
        var message = package.ToArraySegment(false);
        if (QueryPacket.ClientSubnetFaultOf(message) == ClientSubnetFault.None)
        {
            return package;
        }
        await connection.SendAsync(new DnsRawPackage(QueryPacket.FormatError(message, AuthoritativeAnswerer.UdpPayloadSize)), token);
        return null;
    }
}
