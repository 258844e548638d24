using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CdnPlatform.Edge.Purging;

/// <summary>
/// The ports this edge's listeners took other than the schemes' defaults (80, 443), as the server bound them. A visitor
/// who reaches the edge on one of them sends it in Host (<c>www.shop.test:8443</c>), and the cache key keeps it; a
/// purge that names the URL without a port means those entries too.
/// </summary>
/// <remarks>
/// Only the edge's own ports, not any port a Host may carry: a visitor can name any port in Host on any connection, and
/// what such a request stored only ever answers the same Host again. Read from the server once it has listeners (before
/// that nothing can have been stored).
/// </remarks>
internal sealed class ListenerPorts
{
    private readonly IServer _server;
    private int[]? _ports;

    public ListenerPorts(IServer server) => _server = server;

    // Not kept while the server has no listeners yet, so the first read after it bound them is the one kept.
    public IReadOnlyList<int> NonDefault => _ports ?? (Read() is { } bound ? _ports = bound : []);

    private int[]? Read()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return null;
        }
        return [.. addresses.Select(address => BindingAddress.Parse(address).Port).Where(port => port is not (80 or 443)).Distinct().Order()];
    }
}
