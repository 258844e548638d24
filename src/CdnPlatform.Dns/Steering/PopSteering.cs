using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Steering;

/// <summary>
/// The addresses of one name that depend on who asks (<c>www.</c>): a client in a region's networks gets that
/// region's healthy POPs; a client in none, one whose region has no healthy POP, or one that gives no address
/// gets every healthy POP. The records are built once per published zone, so choosing allocates nothing.
/// </summary>
public sealed class PopSteering
{
    private readonly PrefixTable<int> _table;
    private readonly IReadOnlyList<DnsRecordBase>[] _byRegion;

    /// <exception cref="ArgumentException">A region names a POP that is not in <paramref name="pops"/>, or two regions share a network.</exception>
    public PopSteering(DomainName name, int ttl, IReadOnlyList<Pop> pops, IReadOnlyList<PopRegion> regions)
    {
        Name = name;
        Regions = regions;
        var healthy = pops.Where(p => p.Healthy).ToList();
        // With no POP healthy, every POP: an answer that may reach a live one beats an empty one that surely fails.
        Everywhere = [.. (healthy.Count > 0 ? healthy : pops).Select(p => AddressRecord.For(name, ttl, p.Address))];
        _byRegion = new IReadOnlyList<DnsRecordBase>[regions.Count];
        for (var r = 0; r < regions.Count; r++)
        {
            var nearest = regions[r].Pops
                .Select(n => pops.FirstOrDefault(p => p.Name == n) ?? throw new ArgumentException($"region {regions[r].Name}: no POP '{n}'", nameof(regions)))
                .Where(p => p.Healthy)
                .ToList();
            _byRegion[r] = nearest.Count > 0 ? [.. nearest.Select(p => AddressRecord.For(name, ttl, p.Address))] : Everywhere;
        }
        _table = new PrefixTable<int>(regions.SelectMany((region, r) => region.Prefixes.Select(prefix => (prefix, r))));
    }

    /// <summary>The name whose address records this decides, e.g. <c>www.shop.test.</c></summary>
    public DomainName Name { get; }

    public IReadOnlyList<PopRegion> Regions { get; }

    /// <summary>Every healthy POP (every POP when none is): the answer for a client no region covers.</summary>
    public IReadOnlyList<DnsRecordBase> Everywhere { get; }

    /// <summary>
    /// The POPs for a client at <paramref name="client"/>: an address as a resolver's client subnet gives it
    /// (the bits past its prefix zero), or the address the query came from. Null: the client asked that its
    /// address not be used, so the answer is every healthy POP and depends on no address.
    /// </summary>
    public PopChoice Choose(IPAddress? client)
    {
        if (client is null)
        {
            return new PopChoice(Everywhere, 0, null);
        }
        var match = _table.Match(client);
        // The scope holds for a fallback too: the answer was "no region", which is true only around the client.
        if (!match.Found || ReferenceEquals(_byRegion[match.Value], Everywhere))
        {
            return new PopChoice(Everywhere, match.ScopePrefixLength, null);
        }
        return new PopChoice(_byRegion[match.Value], match.ScopePrefixLength, Regions[match.Value].Name);
    }
}
