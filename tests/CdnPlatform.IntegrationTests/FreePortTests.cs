using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CdnPlatform.Testing;

namespace CdnPlatform.IntegrationTests;

/// <summary>
/// The ports handed to servers before they bind (the network's DNS port, test servers): below the kernel's ephemeral
/// range, so that no outgoing connection takes one between the pick and the bind (seen as EADDRINUSE in a full run).
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Picks_distinct_ports_below_the_ephemeral_range_that_bind_for_tcp_and_udp()
    {
        var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);
        var ports = Enumerable.Range(0, 200).Select(_ => FreePort.OnLoopback()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralLow - 1));
        foreach (var port in ports.Take(20))
        {
            using var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }
    }

    [Fact]
    public void Skips_a_port_something_already_listens_on()
    {
        // Hold every port of a small window the picker could draw from, then pick many times: none of the held ones comes back.
        var held = new List<TcpListener>();
        try
        {
            for (var port = 10_000; port < 10_200; port++)
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                try { listener.Start(); held.Add(listener); }
                catch (SocketException) { listener.Dispose(); }
            }
            var heldPorts = held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();
            var picks = Enumerable.Range(0, 300).Select(_ => FreePort.OnLoopback()).ToList();

            Assert.DoesNotContain(picks, heldPorts.Contains);
        }
        finally
        {
            held.ForEach(l => l.Dispose());
        }
    }
}
