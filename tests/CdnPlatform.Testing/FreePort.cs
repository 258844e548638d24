using System.Net;
using CdnPlatform.Cli.Topology;

namespace CdnPlatform.Testing;

/// <summary>Finds a TCP port nobody listens on, for servers that must be told their port up front.</summary>
public static class FreePort
{
    // Below the ephemeral range, where no outgoing connection takes it between the pick and the server's bind.
    public static int On(IPAddress address) => PortPicker.Pick(address);

    public static int OnLoopback() => On(IPAddress.Loopback);
}
