using System.Net;
using CdnPlatform.Dns.Steering;

namespace CdnPlatform.Dns.Tests;

public sealed class PrefixTableTests
{
    private static readonly PrefixTable<string> Table = new(
    [
        (IPNetwork.Parse("10.0.0.0/8"), "ten"),
        (IPNetwork.Parse("10.1.0.0/16"), "ten-one"),
        (IPNetwork.Parse("198.51.100.0/24"), "test-net-2"),
        (IPNetwork.Parse("198.51.100.7/32"), "one-host"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("2001:db8:1::/48"), "documentation-one"),
    ]);

    [Theory]
    // The longest network holding the address wins; the scope is at least its length.
    [InlineData("10.1.2.3", "ten-one", 16)]
    [InlineData("198.51.100.7", "one-host", 32)]
    [InlineData("2001:db8:1::5", "documentation-one", 48)]
    // Held by 10.0.0.0/8 only, but 10.2.0.0/15 is the largest network around it that leaves 10.1.0.0/16 out.
    [InlineData("10.2.0.0", "ten", 15)]
    // Beside 198.51.100.7/32: only its last bit tells the two apart.
    [InlineData("198.51.100.6", "test-net-2", 32)]
    [InlineData("198.51.100.200", "test-net-2", 25)]
    [InlineData("2001:db8:2::", "documentation", 47)]
    public void TheLongestNetworkHoldingTheAddress_Wins(string address, string value, int scope)
    {
        var match = Table.Match(IPAddress.Parse(address));

        Assert.True(match.Found);
        Assert.Equal(value, match.Value);
        Assert.Equal(scope, match.ScopePrefixLength);
    }

    [Theory]
    // 192.0.2.0/6 ... /5 would take in 198.51.100.0/24 (192 = 110000 00, 198 = 110001 10).
    [InlineData("192.0.2.1", 6)]
    [InlineData("127.0.0.1", 2)]
    [InlineData("2001:db9::", 32)]
    [InlineData("fd00::1", 1)]
    public void AnAddressInNoNetwork_IsNotFound_WithTheScopeThatLeavesEveryNetworkOut(string address, int scope)
    {
        var match = Table.Match(IPAddress.Parse(address));

        Assert.False(match.Found);
        Assert.Equal(scope, match.ScopePrefixLength);
    }

    [Fact]
    public void AFamilyWithNoNetworks_HasScopeZero()
    {
        var v4Only = new PrefixTable<string>([(IPNetwork.Parse("10.0.0.0/8"), "ten")]);

        Assert.Equal(new PrefixMatch<string>(false, null, 0), v4Only.Match(IPAddress.Parse("2001:db8::1")));
        Assert.Equal(new PrefixMatch<string>(false, null, 0), new PrefixTable<string>([]).Match(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void ADefaultRoute_HoldsEveryAddressOfItsFamily()
    {
        var table = new PrefixTable<string>([(IPNetwork.Parse("0.0.0.0/0"), "any"), (IPNetwork.Parse("10.0.0.0/8"), "ten")]);

        Assert.Equal(new PrefixMatch<string>(true, "any", 1), table.Match(IPAddress.Parse("192.0.2.1")));
        Assert.Equal(new PrefixMatch<string>(true, "ten", 8), table.Match(IPAddress.Parse("10.9.9.9")));
    }

    [Fact]
    public void ANetworkTwice_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PrefixTable<int>([(IPNetwork.Parse("10.0.0.0/8"), 1), (IPNetwork.Parse("10.0.0.0/8"), 2)]));

    /// <summary>
    /// What the scope promises a resolver that caches the answer under it: every address sharing that many leading
    /// bits gets the same outcome. Checked over random tables and addresses, so a scope one bit too short shows.
    /// </summary>
    [Fact]
    public void EveryAddressWithinTheScope_GetsTheSameOutcome()
    {
        var random = new Random(7871);
        for (var round = 0; round < 200; round++)
        {
            var networks = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => random.Next(0, 33))
                .Select(length => new IPNetwork(Randomize(IPAddress.Any, 0, length, random), length))
                .DistinctBy(n => n.ToString())
                .ToList();
            var table = new PrefixTable<int>(networks.Select((n, i) => (n, i)));
            for (var probe = 0; probe < 20; probe++)
            {
                // Near the table's networks, where the scope is interesting.
                var address = random.Next(2) == 0 ? RandomV4(random) : Flip(networks[random.Next(networks.Count)].BaseAddress, random);
                var match = table.Match(address);
                for (var other = 0; other < 20; other++)
                {
                    var neighbour = Randomize(address, match.ScopePrefixLength, 32, random);
                    var theirs = table.Match(neighbour);
                    Assert.True((match.Found, match.Value) == (theirs.Found, theirs.Value),
                        $"{address} and {neighbour} share {match.ScopePrefixLength} bits but get {match} and {theirs} from [{string.Join(", ", networks)}]");
                }
            }
        }
    }

    private static IPAddress RandomV4(Random random) => Randomize(IPAddress.Any, 0, 32, random);

    private static IPAddress Flip(IPAddress address, Random random)
    {
        var bytes = address.GetAddressBytes();
        bytes[random.Next(4)] ^= (byte)(1 << random.Next(8));
        return new IPAddress(bytes);
    }

    // The first `keep` bits of the address, random bits up to `random` bits, zeros after.
    private static IPAddress Randomize(IPAddress address, int keep, int upTo, Random random)
    {
        static uint Mask(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, ((value & Mask(keep)) | ((uint)random.NextInt64() & ~Mask(keep))) & Mask(upTo));
        return new IPAddress(bytes);
    }
}
