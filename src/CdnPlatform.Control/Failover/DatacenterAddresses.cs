using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Which datacenter an origin address an edge reports belongs to: the one whose <c>Control:Datacenters:N:Gateways</c>
/// has the same scheme, host and port (the edges resolve <c>origin.</c> to those gateways' addresses, so a path or a
/// trailing slash does not matter).
/// </summary>
public sealed class DatacenterAddresses(IEnumerable<ControlDatacenterOptions> datacenters)
{
    private readonly (Uri Gateway, string Datacenter)[] _gateways =
        [.. datacenters.SelectMany(d => d.Gateways.Select(g => (new Uri(g), d.Name)))];

    /// <summary>The datacenter's name, or null for an address that is no datacenter's gateway (or no URL at all).</summary>
    public string? Find(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address))
        {
            return null;
        }
        foreach (var (gateway, datacenter) in _gateways)
        {
            if (string.Equals(gateway.Scheme, address.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(gateway.IdnHost, address.IdnHost, StringComparison.OrdinalIgnoreCase) && gateway.Port == address.Port)
            {
                return datacenter;
            }
        }
        return null;
    }
}
