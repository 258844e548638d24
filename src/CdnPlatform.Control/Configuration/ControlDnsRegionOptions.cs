using System.Net;

namespace CdnPlatform.Control.Configuration;

/// <summary>
/// One region of <c>Control:Dns:Regions</c>: a client whose address (or resolver's client subnet) is in one of its
/// networks gets its healthy POPs for <c>www.</c>, the nearest first. A client in no region gets every healthy POP.
/// </summary>
public sealed record ControlDnsRegionOptions
{
    /// <summary>What <c>GET /v1/dns</c> calls it, e.g. <c>europe</c>; empty: <c>Regions:N</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Client networks, IPv4 or IPv6, e.g. <c>198.51.100.0/24</c>, <c>2001:db8:b::/48</c>. The longest match wins across regions.</summary>
    public List<string> Prefixes { get; init; } = [];

    /// <summary>Edges by their <c>Control:Edges:N:Name</c>, nearest first.</summary>
    public List<string> Pops { get; init; } = [];

    /// <summary>The name shown for the region at <paramref name="index"/>.</summary>
    public string DisplayName(int index) => Name.Length > 0 ? Name : $"Regions:{index}";

    /// <summary>The networks of <see cref="Prefixes"/>; every one parses once <see cref="Validate"/> has passed.</summary>
    public IReadOnlyList<IPNetwork> Networks() => [.. Prefixes.Select(IPNetwork.Parse)];

    public static IEnumerable<string> Validate(string section, IReadOnlyList<ControlDnsRegionOptions> regions, IReadOnlyList<ControlEdgeOptions> edges)
    {
        // A network in two regions would be answered by whichever came first: a mistake to say, not to guess at.
        var seen = new Dictionary<IPNetwork, string>();
        for (var r = 0; r < regions.Count; r++)
        {
            var key = $"{section}:{r}";
            var region = regions[r];
            if (region.Prefixes.Count == 0)
            {
                yield return $"{key}:Prefixes must name at least one client network, e.g. 198.51.100.0/24";
            }
            for (var p = 0; p < region.Prefixes.Count; p++)
            {
                var prefix = region.Prefixes[p];
                if (!IPNetwork.TryParse(prefix, out var network))
                {
                    yield return $"{key}:Prefixes:{p}: '{prefix}' is not a network (address/length, e.g. 198.51.100.0/24 or 2001:db8::/32)";
                }
                else if (!IPAddress.Parse(prefix[..prefix.IndexOf('/')]).Equals(network.BaseAddress))
                {
                    // Parsing would quietly clear them; more likely a typo in the address or the length than meant.
                    yield return $"{key}:Prefixes:{p}: '{prefix}' has bits set past its length; the network would be {network}";
                }
                else if (!seen.TryAdd(network, $"{key}:Prefixes:{p}"))
                {
                    yield return $"{key}:Prefixes:{p}: {network} is already {seen[network]}";
                }
            }
            if (region.Pops.Count == 0)
            {
                yield return $"{key}:Pops must name at least one edge of Control:Edges";
            }
            for (var p = 0; p < region.Pops.Count; p++)
            {
                if (edges.All(e => e.Name != region.Pops[p]))
                {
                    yield return $"{key}:Pops:{p}: '{region.Pops[p]}' is not a name of Control:Edges";
                }
            }
        }
    }
}
