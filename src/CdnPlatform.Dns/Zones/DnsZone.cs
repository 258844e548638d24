using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Steering;

namespace CdnPlatform.Dns.Zones;

/// <summary>
/// One zone this server is authoritative for: its apex, its SOA (whose minimum is the negative-answer TTL,
/// RFC 2308) and every other record, and the names whose addresses depend on the client (<see cref="PopSteering"/>).
/// Immutable: a change makes a new zone, swapped in whole.
/// </summary>
public sealed class DnsZone
{
    private readonly Dictionary<DomainName, List<DnsRecordBase>> _byName = [];
    private readonly HashSet<DomainName> _emptyNonTerminals = [];
    private readonly Dictionary<DomainName, PopSteering> _steered = [];

    /// <param name="steered">
    /// Names answered per client. Each holds only its POPs' addresses; <see cref="Records"/> and <see cref="At"/>
    /// give every healthy POP there (<see cref="PopSteering.Everywhere"/>), which is what a copy of the zone
    /// elsewhere (a secondary) should serve.
    /// </param>
    /// <exception cref="ArgumentException">A record is outside the zone, or shares a steered name.</exception>
    public DnsZone(SoaRecord soa, IEnumerable<DnsRecordBase> records, IEnumerable<PopSteering>? steered = null)
    {
        Soa = soa;
        Origin = soa.Name;
        var own = records.ToList();
        foreach (var steering in steered ?? [])
        {
            _steered.Add(steering.Name, steering);
            // The answerer replaces what is at a steered name with the POPs chosen: anything else there would be lost.
            if (own.FirstOrDefault(r => r.Name.Equals(steering.Name)) is { } clash)
            {
                throw new ArgumentException($"{clash.Name} is steered: it holds its POPs' addresses only, not {clash.RecordType}", nameof(records));
            }
            own.AddRange(steering.Everywhere);
        }
        foreach (var record in own.Prepend(soa))
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

    /// <summary>How <paramref name="name"/>'s addresses depend on the client; null when they do not.</summary>
    public PopSteering? SteeringAt(DomainName name) => _steered.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="name"/> exists: it has records, or names below it do.</summary>
    public bool Exists(DomainName name) => _byName.ContainsKey(name) || _emptyNonTerminals.Contains(name);

    /// <summary>The SOA as a negative answer carries it: its TTL no longer than its minimum (RFC 2308 §3).</summary>
    public SoaRecord NegativeSoa => new(Soa.Name, Math.Min(Soa.TimeToLive, Soa.NegativeCachingTTL), Soa.MasterName,
        Soa.ResponsibleName, Soa.SerialNumber, Soa.RefreshInterval, Soa.RetryInterval, Soa.ExpireInterval, Soa.NegativeCachingTTL);
}
