using System.Net;

namespace CdnPlatform.Control.Configuration;

/// <summary>
/// The control plane's authoritative DNS (<c>Control:Dns</c>): the sites' zones, with <c>origin.</c> pointing
/// at the active datacenter's gateways and <c>www.</c> at the points of presence. Off while <see cref="Port"/> is 0.
/// </summary>
public sealed record ControlDnsOptions
{
    /// <summary>The address it listens on, UDP and TCP.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The port, e.g. 53 on a real host or 8053 for <c>cdnctl up</c>; 0 serves no DNS.</summary>
    public int Port { get; init; }

    /// <summary>The datacenter <c>origin.</c> points at, by its <c>Control:Datacenters:N:Name</c>; empty: the first one.</summary>
    public string ActiveDatacenter { get; init; } = "";

    /// <summary>Client networks and the POPs nearest them, for <c>www.</c>; none: every healthy POP for everyone.</summary>
    public List<ControlDnsRegionOptions> Regions { get; init; } = [];

    /// <summary>How the edges' health is probed for <c>www.</c>.</summary>
    public ControlPopHealthOptions PopHealth { get; init; } = new();

    /// <summary>External servers given the zones' records by signed dynamic update after every change.</summary>
    public List<ControlDnsSecondaryOptions> Secondaries { get; init; } = [];

    public IEnumerable<string> Validate(string section, IReadOnlyList<ControlDatacenterOptions> datacenters, IReadOnlyList<ControlEdgeOptions> edges)
    {
        if (Port is < 0 or > 65535)
        {
            yield return $"{section}:Port must be 0..65535, was {Port}";
        }
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return $"{section}:Address: '{Address}' is not an IP address";
        }
        if (Port == 0)
        {
            yield break;
        }
        if (datacenters.Count == 0)
        {
            yield return $"{section} needs Control:Datacenters, whose gateways origin. points at";
        }
        else if (ActiveDatacenter.Length > 0 && datacenters.All(d => d.Name != ActiveDatacenter))
        {
            yield return $"{section}:ActiveDatacenter: '{ActiveDatacenter}' is not a name of Control:Datacenters";
        }
        foreach (var failure in ControlDnsRegionOptions.Validate($"{section}:Regions", Regions, edges).Concat(PopHealth.Validate($"{section}:PopHealth")))
        {
            yield return failure;
        }
        // Records hold addresses: a gateway or edge named by host name cannot be published.
        for (var d = 0; d < datacenters.Count; d++)
        {
            for (var g = 0; g < datacenters[d].Gateways.Count; g++)
            {
                if (!HasIpHost(datacenters[d].Gateways[g]))
                {
                    yield return $"Control:Datacenters:{d}:Gateways:{g}: DNS needs an IP address in '{datacenters[d].Gateways[g]}'";
                }
            }
        }
        for (var e = 0; e < edges.Count; e++)
        {
            if (!HasIpHost(edges[e].Url))
            {
                yield return $"Control:Edges:{e}:Url: DNS needs an IP address in '{edges[e].Url}'";
            }
        }
    }

    private static bool HasIpHost(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
}
