using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Updating;

/// <summary>
/// The RFC 2136 update that makes an external primary (BIND, Knot, PowerDNS) hold the records the CDN publishes
/// in a zone, signed with TSIG. Every name the CDN publishes is replaced whole: all its RRsets deleted, then its
/// records added, in one message the server applies all or nothing. Replacing is idempotent, so the update needs
/// no prerequisites and a retry of one already applied does no harm.
/// </summary>
public static class ZoneUpdate
{
    /// <summary>How far the server's clock may be from ours (RFC 8945 §10 recommends 300 s).</summary>
    public static readonly TimeSpan Fudge = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The names of <paramref name="zone"/> an external server is given: all but the apex (its SOA and NS are the
    /// server's own) and the hosts the apex NS names (their addresses are this control plane's, not the server's).
    /// </summary>
    public static IReadOnlyList<DomainName> PublishedNames(DnsZone zone)
    {
        var nameServers = zone.At(zone.Origin).OfType<NsRecord>().Select(ns => ns.NameServer).ToHashSet();
        return [.. zone.Records.Select(r => r.Name).Distinct()
            .Where(name => !name.Equals(zone.Origin) && !nameServers.Contains(name))
            .Order()];
    }

    /// <param name="zone">The zone as published.</param>
    /// <param name="retired">Names given to the server before that the zone no longer has: they are deleted.</param>
    /// <param name="key">The key the server's <c>allow-update</c> names.</param>
    /// <param name="signedAt">Now, from the caller's clock: the server refuses a time more than <see cref="Fudge"/> off (BADTIME).</param>
    /// <param name="transactionId">A random ID, so that an answer to another message cannot pass for this one's.</param>
    public static DnsUpdateMessage Build(DnsZone zone, IEnumerable<DomainName> retired, TsigKey key, DateTimeOffset signedAt, ushort transactionId)
    {
        var message = new DnsUpdateMessage { ZoneName = zone.Origin, TransactionID = transactionId };
        var published = PublishedNames(zone);
        foreach (var name in retired.Where(n => n.IsSubDomainOf(zone.Origin)).Except(published).Order())
        {
            message.Updates.Add(new DeleteAllRecordsUpdate(name, RecordType.Any));
        }
        foreach (var name in published)
        {
            message.Updates.Add(new DeleteAllRecordsUpdate(name, RecordType.Any));
            message.Updates.AddRange(zone.At(name).Select(record => new AddRecordUpdate(record)));
        }
        // ARSoft computes the MAC when it encodes the message for sending; the record carries what goes into it.
        message.TSigOptions = new TSigRecord(key.Name, key.Algorithm, signedAt.UtcDateTime, Fudge, transactionId, ReturnCode.NoError, null, key.Secret);
        return message;
    }
}
