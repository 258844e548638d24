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
}
