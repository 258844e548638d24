using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Zones;

/// <summary>The record publishing an address: A for IPv4, AAAA for IPv6.</summary>
internal static class AddressRecord
{
    public static DnsRecordBase For(DomainName name, int ttl, IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? new AaaaRecord(name, ttl, address)
        : new ARecord(name, ttl, address);
}
