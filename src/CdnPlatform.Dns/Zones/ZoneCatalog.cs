using ARSoft.Tools.Net;

namespace CdnPlatform.Dns.Zones;

/// <summary>
/// The zones being served, swapped in whole on a change (a reader never sees half of one), and the zone a
/// name falls in: the one with the longest matching apex.
/// </summary>
public sealed class ZoneCatalog
{
    private volatile IReadOnlyList<DnsZone> _zones;

    public ZoneCatalog(IEnumerable<DnsZone> zones) => _zones = [.. zones];

    public IReadOnlyList<DnsZone> Zones => _zones;

    public DnsZone? Find(DomainName name)
    {
        DnsZone? best = null;
        foreach (var zone in _zones)
        {
            if (name.IsEqualOrSubDomainOf(zone.Origin) && (best is null || zone.Origin.LabelCount > best.Origin.LabelCount))
            {
                best = zone;
            }
        }
        return best;
    }

    /// <summary>Replaces the zone with <paramref name="zone"/>'s apex, or adds it.</summary>
    public void Put(DnsZone zone) => _zones = [.. _zones.Where(z => !z.Origin.Equals(zone.Origin)), zone];
}
