using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Dns.Tests;

/// <summary>
/// 100,000 random and mutated packets at the running server over UDP: it must not crash, every answer it
/// sends must parse, a packet too short to be a query gets no answer at all (nothing to amplify), no answer
/// is much larger than a 512-byte response, and a normal query is still answered afterwards. A quarter of them
/// carry a client subnet option, damaged, so the wire-level gate in front of the parser is fuzzed too.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private const int Packets = 100_000;

    private readonly AuthoritativeDnsServer _server;
    private readonly int _port = FreePort.OnLoopback();
    private readonly IPEndPoint _endpoint;

    public FuzzTests()
    {
        _endpoint = new IPEndPoint(IPAddress.Loopback, _port);
        _server = new AuthoritativeDnsServer(_endpoint, new AuthoritativeAnswerer(TestZone.Catalog()), NullLogger.Instance);
        _server.Start();
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RandomAndMutatedPackets_NeverCrashTheServer_AndEveryAnswerParses()
    {
        var random = new Random(20261202);
        var valid = ValidQuery();
        var withSubnet = RawQuery.WithEdns("www.shop.test", RawQuery.ClientSubnet(System.Net.IPNetwork.Parse("198.51.100.0/24")));
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var answers = new List<byte[]>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = await socket.ReceiveAsync(stop.Token);
                    lock (answers)
                    {
                        answers.Add(result.Buffer);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    // ICMP port unreachable and the like: nothing to check.
                }
            }
        });

        var tinySent = 0;
        for (var i = 0; i < Packets; i++)
        {
            var packet = i % 4 == 3 ? MutateSubnet(withSubnet, random, i / 4) : Mutate(valid, random, i);
            tinySent += packet.Length < 12 ? 1 : 0;
            await socket.SendAsync(packet, _endpoint);
            if (i % 500 == 0)
            {
                // Short pauses keep the socket buffers from overflowing, so most packets really reach the server.
                await Task.Delay(1);
            }
        }

        var answered = await AskAsync(socket, answers);
        await stop.CancelAsync();
        await receiving;

        Assert.True(answered, "the server still answers a normal query after the fuzzing");
        Console.WriteLine($"fuzz: {Packets} packets sent, {answers.Count} answers");
        Assert.True(tinySent > 1000, "some packets were shorter than a DNS header");
        lock (answers)
        {
            Assert.NotEmpty(answers);
            var formatErrors = 0;
            var subnetsEchoed = 0;
            foreach (var answer in answers)
            {
                var parsed = DnsMessage.Parse(answer);
                Assert.False(parsed.IsQuery);
                Assert.True(answer.Length <= 1232, $"an answer of {answer.Length} bytes");
                formatErrors += parsed.ReturnCode == ReturnCode.FormatError ? 1 : 0;
                subnetsEchoed += parsed.EDnsOptions?.Options.OfType<ClientSubnetOption>().Any() == true ? 1 : 0;
            }
            Console.WriteLine($"fuzz: {formatErrors} FORMERR, {subnetsEchoed} with a client subnet echoed");
            // Damaged client subnet options reached the gate and the answerer: some rejected, some answered (low
            // bars: a loaded machine drops datagrams, and this checks only that both paths were taken).
            Assert.True(formatErrors > 100, $"{formatErrors} FORMERR answers");
            Assert.True(subnetsEchoed > 10, $"{subnetsEchoed} answers echoed a client subnet");
        }
    }

    [Fact]
    public async Task PacketsShorterThanAHeader_GetNoAnswerAtAll()
    {
        var random = new Random(7);
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (var i = 0; i < 1000; i++)
        {
            var packet = new byte[random.Next(0, 12)];
            random.NextBytes(packet);
            await socket.SendAsync(packet, _endpoint);
        }
        // The server's reply to a real query marks the end: any datagram before it would answer a tiny packet.
        // The query is sent again until answered, since a busy machine may drop a datagram.
        var query = ValidQuery(transactionId: 0x4242);
        UdpReceiveResult? first = null;
        for (var attempt = 0; attempt < 50 && first is null; attempt++)
        {
            await socket.SendAsync(query, _endpoint);
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                first = await socket.ReceiveAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.NotNull(first);
        Assert.Equal([0x42, 0x42], first.Value.Buffer[..2]);
    }

    private async Task<bool> AskAsync(UdpClient socket, List<byte[]> answers)
    {
        var query = ValidQuery(transactionId: 0x7777);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await socket.SendAsync(query, _endpoint);
            await Task.Delay(100);
            lock (answers)
            {
                if (answers.Any(a => a.Length > 2 && a[0] == 0x77 && a[1] == 0x77))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] ValidQuery(ushort transactionId = 1) => RawQuery.Build("origin.shop.test", transactionId: transactionId);

    /// <summary>
    /// The query with a client subnet option, damaged in the option: random FAMILY, prefix lengths and address
    /// octets (the option's length kept true, or not), bits flipped anywhere in the OPT record, or cut short.
    /// </summary>
    private static byte[] MutateSubnet(byte[] valid, Random random, int i)
    {
        // The option's data starts after its code and length, at the packet's last 7 octets.
        var option = valid.Length - 7;
        switch (i % 4)
        {
            case 0:
                var address = new byte[random.Next(0, 18)];
                random.NextBytes(address);
                var rewritten = RawQuery.WithEdns("www.shop.test",
                    RawQuery.ClientSubnet((ushort)random.Next(0, 4), (byte)random.Next(0, 140), (byte)(random.Next(4) == 0 ? random.Next(256) : 0), address));
                if (random.Next(2) == 0)
                {
                    // The option's length (the two octets before its data) no longer says how long it is.
                    rewritten[rewritten.Length - (4 + address.Length) - 1] = (byte)random.Next(256);
                }
                return rewritten;
            case 1:
                var flipped = (byte[])valid.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    flipped[random.Next(option - 15, flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                return flipped;
            case 2:
                return valid[..random.Next(option - 15, valid.Length)];
            default:
                var fields = (byte[])valid.Clone();
                fields[option + 2] = (byte)random.Next(256);
                fields[option + random.Next(0, 7)] = (byte)random.Next(256);
                return fields;
        }
    }

    /// <summary>One packet of a kind chosen by <paramref name="i"/>: random bytes, or the valid query damaged one way.</summary>
    private static byte[] Mutate(byte[] valid, Random random, int i)
    {
        switch (i % 6)
        {
            case 0:
                var noise = new byte[random.Next(0, 600)];
                random.NextBytes(noise);
                return noise;
            case 1:
                // Truncated anywhere, header included.
                return valid[..random.Next(0, valid.Length)];
            case 2:
                var flipped = (byte[])valid.Clone();
                for (var n = random.Next(1, 8); n > 0; n--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                return flipped;
            case 3:
                // Oversized counts: the header claims thousands of records that are not there.
                var counts = (byte[])valid.Clone();
                for (var field = 4; field < 12; field += 2)
                {
                    counts[field] = (byte)random.Next(256);
                    counts[field + 1] = (byte)random.Next(256);
                }
                return counts;
            case 4:
                // A compression pointer to itself (or back into the header) where the question's name starts.
                var loop = (byte[])valid.Clone();
                loop[12] = 0xC0;
                loop[13] = (byte)(random.Next(2) == 0 ? 12 : random.Next(0, 12));
                return loop;
            default:
                // Bad labels: lengths that overrun the packet, or over 63.
                var labels = (byte[])valid.Clone();
                labels[12] = (byte)random.Next(64, 192);
                return labels;
        }
    }
}
