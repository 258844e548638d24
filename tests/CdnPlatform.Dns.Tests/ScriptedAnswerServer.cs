using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CdnPlatform.Dns.Tests;

/// <summary>
/// A UDP "server" that answers every update NOERROR, as someone on the path could: unsigned, or with a TSIG
/// record under the right key name whose MAC is made up. The bytes are written by hand (ARSoft's encoder is
/// internal), as RFC 2136 §3.8 and RFC 8945 §4.2 lay them out.
/// </summary>
internal sealed class ScriptedAnswerServer : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();

    public ScriptedAnswerServer(string? forgedKeyName)
    {
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await _socket.ReceiveAsync(_stop.Token);
                var answer = Answer(request.Buffer, forgedKeyName);
                await _socket.SendAsync(answer, request.RemoteEndPoint, _stop.Token);
            }
        });
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    private static byte[] Answer(byte[] request, string? forgedKeyName)
    {
        var zoneEnd = 12;
        while (request[zoneEnd] != 0)
        {
            zoneEnd += request[zoneEnd] + 1;
        }
        zoneEnd += 1 + 4; // the root label, then type and class
        var answer = new List<byte>();
        answer.AddRange(request.AsSpan(0, 2).ToArray()); // the request's ID
        answer.AddRange([0xA8, 0x00]); // QR, opcode UPDATE; RCODE NOERROR
        answer.AddRange([0, 1, 0, 0, 0, 0, 0, (byte)(forgedKeyName is null ? 0 : 1)]);
        answer.AddRange(request.AsSpan(12, zoneEnd - 12).ToArray());
        if (forgedKeyName is not null)
        {
            var rdata = new List<byte>();
            rdata.AddRange(Name("hmac-sha256"));
            var now = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(now, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            rdata.AddRange(now[2..]); // 48-bit time signed
            rdata.AddRange([0x01, 0x2C, 0, 32]); // fudge 300, MAC size 32
            rdata.AddRange(RandomNumberGenerator.GetBytes(32));
            rdata.AddRange(request.AsSpan(0, 2).ToArray()); // original ID
            rdata.AddRange([0, 0, 0, 0]); // error NOERROR, no other data
            answer.AddRange(Name(forgedKeyName));
            answer.AddRange([0x00, 0xFA, 0x00, 0xFF, 0, 0, 0, 0, (byte)(rdata.Count >> 8), (byte)rdata.Count]);
            answer.AddRange(rdata);
        }
        return [.. answer];
    }

    private static byte[] Name(string name) =>
        [.. name.Split('.').SelectMany(label => (byte[])[(byte)label.Length, .. Encoding.ASCII.GetBytes(label)]), 0];

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
