using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Dns.Zones;

/// <summary>
/// One zone this server is authoritative for: its apex, its SOA (whose minimum is the negative-answer TTL,
/// RFC 2308) and every other record. Immutable: a change makes a new zone, swapped in whole.
/// </summary>
public sealed class DnsZone
{
    private readonly Dictionary<DomainName, List<DnsRecordBase>> _byName = [];
    private readonly HashSet<DomainName> _emptyNonTerminals = [];

    public DnsZone(SoaRecord soa, IEnumerable<DnsRecordBase> records)
    {
        Soa = soa;
        Origin = soa.Name;
        foreach (var record in records.Prepend(soa))
        {
            if (!record.Name.IsEqualOrSubDomainOf(Origin))
            {
                throw new ArgumentException($"{record.Name} is not in zone {Origin}", nameof(records));
            }
            if (!_byName.TryGetValue(record.Name, out var set))
            {
                _byName[record.Name] = set = [];
            }
            set.Add(record);
            // Every name between a record and the apex exists, even without records of its own (RFC 8020).
            for (var parent = record.Name.GetParentName(); parent.IsSubDomainOf(Origin); parent = parent.GetParentName())
            {
                _emptyNonTerminals.Add(parent);
            }
        }
    }

    public DomainName Origin { get; }

    public SoaRecord Soa { get; }

    public IEnumerable<DnsRecordBase> Records => _byName.Values.SelectMany(r => r);

    /// <summary>The records at exactly <paramref name="name"/>; empty when it has none.</summary>
    public IReadOnlyList<DnsRecordBase> At(DomainName name) => _byName.TryGetValue(name, out var set) ? set : [];

    /// <summary>Whether <paramref name="name"/> exists: it has records, or names below it do.</summary>
    public bool Exists(DomainName name) => _byName.ContainsKey(name) || _emptyNonTerminals.Contains(name);

    /// <summary>The SOA as a negative answer carries it: its TTL no longer than its minimum (RFC 2308 §3).</summary>
    public SoaRecord NegativeSoa => new(Soa.Name, Math.Min(Soa.TimeToLive, Soa.NegativeCachingTTL), Soa.MasterName,
        Soa.ResponsibleName, Soa.SerialNumber, Soa.RefreshInterval, Soa.RetryInterval, Soa.ExpireInterval, Soa.NegativeCachingTTL);
}
