using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Zones;

namespace CdnPlatform.Dns.Answering;

/// <summary>
/// What an authoritative server answers to one query, apart from the sockets (RFC 1034 §4.3.2, RFC 2308,
/// RFC 6891): the records asked for with AA set; a CNAME followed inside the zone; NODATA or NXDOMAIN with
/// the zone's SOA in authority; REFUSED for a name outside every zone; FORMERR for a query that is not one
/// question; NOTIMP for other opcodes. With EDNS in the query, EDNS in the answer, offering
/// <see cref="UdpPayloadSize"/> bytes.
/// </summary>
public sealed class AuthoritativeAnswerer(ZoneCatalog zones)
{
    /// <summary>The DNS flag day 2020 default: fits in one unfragmented packet on nearly every path.</summary>
    public const ushort UdpPayloadSize = 1232;

    // A chain longer than this inside one zone is a loop or a mistake, not something to follow.
    private const int MaxCnameHops = 8;

    public DnsMessage Answer(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (query.IsEDnsEnabled)
        {
            response.IsEDnsEnabled = true;
            response.EDnsOptions = new OptRecord { UdpPayloadSize = UdpPayloadSize };
        }

        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return response;
        }
        if (query.Questions.Count != 1 || query.IsQuery == false)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any) || zones.Find(question.Name) is not { } zone)
        {
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        response.IsAuthoritiveAnswer = true;
        var name = question.Name;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var here = zone.At(name);
            var matching = here.Where(r => Matches(r, question.RecordType)).ToList();
            if (matching.Count > 0)
            {
                response.AnswerRecords.AddRange(matching);
                return response;
            }

            var alias = here.OfType<CNameRecord>().FirstOrDefault();
            if (alias is null || question.RecordType == RecordType.CName)
            {
                if (hop == 0)
                {
                    // The name asked for: it exists without this type (NODATA), or does not exist at all.
                    response.ReturnCode = zone.Exists(name) ? ReturnCode.NoError : ReturnCode.NxDomain;
                }
                response.AuthorityRecords.Add(zone.NegativeSoa);
                return response;
            }

            response.AnswerRecords.Add(alias);
            if (!alias.CanonicalName.IsEqualOrSubDomainOf(zone.Origin))
            {
                // Out of this zone: the resolver follows it itself.
                return response;
            }
            name = alias.CanonicalName;
        }

        response.ReturnCode = ReturnCode.ServerFailure;
        return response;
    }

    private static bool Matches(DnsRecordBase record, RecordType asked) =>
        asked == RecordType.Any || record.RecordType == asked;
}
