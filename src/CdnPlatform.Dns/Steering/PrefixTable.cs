using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.Dns.Steering;

/// <summary>
/// Networks, IPv4 and IPv6, each with a value: the longest one holding an address wins (longest-prefix match),
/// and <see cref="PrefixMatch{TValue}.ScopePrefixLength"/> says over how large a network around the address the
/// outcome stays the same, which is what an EDNS Client Subnet answer must tell the resolver caching it.
/// </summary>
/// <remarks>
/// A linear scan: a table of a few hundred networks answers in well under a microsecond, and the scan is what
/// finds the scope, which needs every network near the address (the shorter ones holding it and the longer ones
/// beside it), not only the best.
/// </remarks>
public sealed class PrefixTable<TValue>
{
    private readonly Entry[] _v4;
    private readonly Entry[] _v6;

    /// <exception cref="ArgumentException">A network is in the table twice.</exception>
    public PrefixTable(IEnumerable<(IPNetwork Network, TValue Value)> entries)
    {
        var v4 = new List<Entry>();
        var v6 = new List<Entry>();
        foreach (var (network, value) in entries)
        {
            var (bits, width) = Bits(network.BaseAddress);
            var list = width == 32 ? v4 : v6;
            if (list.Any(e => e.Bits == bits && e.Length == network.PrefixLength))
            {
                throw new ArgumentException($"{network} is in the table twice", nameof(entries));
            }
            list.Add(new Entry(bits, network.PrefixLength, value));
        }
        _v4 = [.. v4];
        _v6 = [.. v6];
    }

    public bool IsEmpty => _v4.Length == 0 && _v6.Length == 0;

    /// <summary>
    /// The longest network holding <paramref name="address"/>, and the shortest prefix of the address over which
    /// that outcome (a match, or none) holds for every address: no network of the table starts or ends inside it.
    /// </summary>
    public PrefixMatch<TValue> Match(IPAddress address)
    {
        var (bits, width) = Bits(address);
        var best = -1;
        var entries = width == 32 ? _v4 : _v6;
        var scope = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var common = Math.Min(width, (int)UInt128.LeadingZeroCount(bits ^ entry.Bits));
            if (common >= entry.Length)
            {
                // Holds the address: a longer one is more specific, and the scope is at least its length.
                if (best < 0 || entry.Length > entries[best].Length)
                {
                    best = i;
                }
                scope = Math.Max(scope, entry.Length);
            }
            else
            {
                // Beside the address: the scope must be long enough to leave this network out.
                scope = Math.Max(scope, common + 1);
            }
        }
        return best < 0
            ? new PrefixMatch<TValue>(false, default, (byte)scope)
            : new PrefixMatch<TValue>(true, entries[best].Value, (byte)scope);
    }

    // The address left-aligned in 128 bits, so one comparison serves both families.
    private static (UInt128 Bits, int Width) Bits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? ((UInt128)BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]) << 96, 32)
            : (BinaryPrimitives.ReadUInt128BigEndian(bytes), 128);
    }

    private readonly record struct Entry(UInt128 Bits, int Length, TValue Value);
}
