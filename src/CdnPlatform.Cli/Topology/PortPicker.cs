using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// Picks a port for a server that must be told its port before it binds it (the control plane's DNS port is given to
/// the edges, which start first). The kernel's port 0 comes from the ephemeral range, and so does the local port of every
/// outgoing connection: between the pick and the bind any connection from that address may take it, which the suite saw
/// as "Address already in use". Ports below the ephemeral range are never given to outgoing connections, so only another
/// pick can collide: these are drawn at random, never twice in one process, and checked free for both TCP and UDP.
/// </summary>
/// <remarks>Compiled into the test fixtures' project too (linked source), so that tests pick their ports the same way.</remarks>
internal static class PortPicker
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int LowestPort = 10_000;
    private const int Attempts = 500;

    private static readonly ConcurrentDictionary<int, bool> Handed = new();
    private static readonly Lazy<int> EphemeralLow = new(ReadEphemeralLow);

    public static int Pick(IPAddress address)
    {
        var below = EphemeralLow.Value;
        for (var attempt = 0; below > LowestPort + 1_000 && attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(LowestPort, below);
            if (Handed.TryAdd(port, true) && IsFree(address, port))
            {
                return port;
            }
        }
        // No range below the ephemeral one (another OS, or a range starting low): the kernel's choice, with its race.
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, port));
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // IANA's dynamic range starts at 49152 (Windows and macOS use it).
            return 49_152;
        }
    }
}
