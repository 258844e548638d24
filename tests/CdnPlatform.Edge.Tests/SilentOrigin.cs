using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// An origin address whose connections never open: a listening socket that accepts nothing, its accept queue
/// filled by the test's own connections, so Linux drops every further SYN and a connect to it hangs until the
/// client's connect timeout, as it would to a datacenter whose link is cut. On loopback an unbound port refuses
/// at once instead, which is not the same failure.
/// </summary>
public sealed class SilentOrigin : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _queued = [];

    private SilentOrigin(Socket listener) => _listener = listener;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public string Url => $"http://{EndPoint}";

    public static async Task<SilentOrigin> StartAsync(IPAddress address)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(0);
        var origin = new SilentOrigin(listener);
        // The kernel completes handshakes until the queue is full; the first connect that does not complete proves it is.
        for (var i = 0; i < 64; i++)
        {
            var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await client.ConnectAsync(origin.EndPoint, patience.Token);
                origin._queued.Add(client);
            }
            catch (OperationCanceledException)
            {
                client.Dispose();
                return origin;
            }
        }
        origin.Dispose();
        throw new InvalidOperationException($"{origin.EndPoint} kept accepting connections: its accept queue never filled");
    }

    public void Dispose()
    {
        foreach (var client in _queued)
        {
            client.Dispose();
        }
        _listener.Dispose();
    }
}
