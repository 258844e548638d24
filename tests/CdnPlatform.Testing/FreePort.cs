using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.Testing;

/// <summary>Finds a TCP port nobody listens on, for servers that must be told their port up front.</summary>
public static class FreePort
{
    public static int On(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int OnLoopback() => On(IPAddress.Loopback);

    /// <summary>A port free on every one of <paramref name="addresses"/>: servers that DNS names share one port.</summary>
    public static int OnEvery(params IPAddress[] addresses)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = On(addresses[0]);
            if (addresses.Skip(1).All(address => IsFree(address, port)) || attempt == 20)
            {
                return port;
            }
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
