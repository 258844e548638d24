using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Answering;

/// <summary>
/// The rules for an EDNS Client Subnet option in a query (RFC 7871 §6): the same whether read from the wire,
/// before ARSoft's parser (which reads FAMILY 3 as IPv6, ignores the option's length and throws at a prefix longer
/// than the family), or from the option it parsed.
/// </summary>
public static class ClientSubnet
{
    public const ushort FamilyIPv4 = 1;
    public const ushort FamilyIPv6 = 2;

    /// <summary>The option's data as sent: FAMILY (2 octets), SOURCE and SCOPE PREFIX-LENGTH, ADDRESS.</summary>
    public static ClientSubnetFault Check(ReadOnlySpan<byte> optionData) => optionData.Length < 4
        ? ClientSubnetFault.Truncated
        : Check(BinaryPrimitives.ReadUInt16BigEndian(optionData), optionData[2], optionData[3], optionData[4..]);

    /// <summary>The option as ARSoft parsed it, or as a test built it.</summary>
    public static ClientSubnetFault Check(ClientSubnetOption option)
    {
        var v4 = option.Address.AddressFamily == AddressFamily.InterNetwork;
        if (option.SourceNetmask > (v4 ? 32 : 128))
        {
            return ClientSubnetFault.PrefixTooLong;
        }
        var address = option.Address.GetAddressBytes();
        var used = Octets(option.SourceNetmask);
        // The parser pads ADDRESS with zeros; anything set after the octets sent was not sent.
        return address.AsSpan(used).ContainsAnyExcept((byte)0)
            ? ClientSubnetFault.BitsBeyondPrefix
            : Check(v4 ? FamilyIPv4 : FamilyIPv6, option.SourceNetmask, option.ScopeNetmask, address.AsSpan(0, used));
    }

    public static ClientSubnetFault Check(ushort family, byte sourcePrefixLength, byte scopePrefixLength, ReadOnlySpan<byte> address)
    {
        var maximum = family switch
        {
            FamilyIPv4 => 32,
            FamilyIPv6 => 128,
            // FAMILY 0 says nothing but "no address" (a stub's opt-out); with address bits it is nonsense.
            0 when sourcePrefixLength == 0 => 0,
            _ => -1,
        };
        if (maximum < 0)
        {
            return ClientSubnetFault.UnknownFamily;
        }
        if (sourcePrefixLength > maximum)
        {
            return ClientSubnetFault.PrefixTooLong;
        }
        if (address.Length != Octets(sourcePrefixLength))
        {
            return ClientSubnetFault.AddressLength;
        }
        if (sourcePrefixLength % 8 != 0 && (address[^1] & (0xFF >> (sourcePrefixLength % 8))) != 0)
        {
            return ClientSubnetFault.BitsBeyondPrefix;
        }
        return scopePrefixLength != 0 ? ClientSubnetFault.ScopeInQuery : ClientSubnetFault.None;
    }

    /// <summary>
    /// The address an answer is for (its bits past the prefix zero), or null for SOURCE PREFIX-LENGTH 0: the client
    /// asked that its address not be used (RFC 7871 §7.1.2), so nothing about it is, not even the address the query
    /// came from, which for a stub asking directly is the very address it withheld.
    /// </summary>
    public static IPAddress? AddressOf(ClientSubnetOption option) => option.SourceNetmask == 0 ? null : option.Address;

    private static int Octets(int prefixLength) => (prefixLength + 7) / 8;
}
