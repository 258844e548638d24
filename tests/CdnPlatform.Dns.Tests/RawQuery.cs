using System.Buffers.Binary;
using System.Net;

namespace CdnPlatform.Dns.Tests;

/// <summary>
/// Queries written byte by hand (ARSoft's encoder is internal), so that a test can send what no library would
/// write: a client subnet option with an unknown family, a prefix too long, too many address octets.
/// </summary>
internal static class RawQuery
{
    public const ushort A = 1;

    /// <summary>One question, <paramref name="name"/> IN <paramref name="type"/>, without EDNS.</summary>
    public static byte[] Build(string name, ushort type = A, ushort transactionId = 1) => Write(name, type, transactionId, null);

    /// <summary>One question, <paramref name="name"/> IN A, with an OPT record carrying <paramref name="options"/>.</summary>
    public static byte[] WithEdns(string name, params byte[][] options) => Write(name, A, 0x4711, options);

    private static byte[] Write(string name, ushort type, ushort transactionId, byte[][]? options)
    {
        var packet = new List<byte> { (byte)(transactionId >> 8), (byte)transactionId, 0, 0, 0, 1, 0, 0, 0, 0, 0, (byte)(options is null ? 0 : 1) };
        foreach (var label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        packet.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        if (options is not null)
        {
            var data = options.SelectMany(o => o).ToArray();
            // Root owner, type OPT (41), class = UDP payload size 1232, TTL 0, then the options.
            packet.AddRange([0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, (byte)(data.Length >> 8), (byte)data.Length, .. data]);
        }
        return [.. packet];
    }

    /// <summary>An EDNS Client Subnet option (code 8) as written, right or wrong.</summary>
    public static byte[] ClientSubnet(ushort family, byte source, byte scope, params byte[] address)
    {
        var option = new byte[8 + address.Length];
        BinaryPrimitives.WriteUInt16BigEndian(option, 8);
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(2), (ushort)(4 + address.Length));
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(4), family);
        option[6] = source;
        option[7] = scope;
        address.CopyTo(option, 8);
        return option;
    }

    /// <summary>A well-formed option for <paramref name="network"/>: its address cut to the octets its prefix needs.</summary>
    public static byte[] ClientSubnet(IPNetwork network) => ClientSubnet(
        network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? (ushort)1 : (ushort)2,
        (byte)network.PrefixLength, 0, network.BaseAddress.GetAddressBytes()[..((network.PrefixLength + 7) / 8)]);
}
