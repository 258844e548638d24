using System.Net;
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
/// <remarks>
/// A steered name (<c>www.</c>) is answered for the client (RFC 7871 §7.2.1): for the address in the query's
/// client subnet option, else for the address the query came from. A query with that option gets it back, with
/// SCOPE PREFIX-LENGTH saying how much of the address the answer depended on; one without gets none, even when
/// the answer was tailored to its source. A malformed option is FORMERR, without the option.
/// </remarks>
public sealed class AuthoritativeAnswerer(ZoneCatalog zones)
{
    /// <summary>The DNS flag day 2020 default: fits in one unfragmented packet on nearly every path.</summary>
    public const ushort UdpPayloadSize = 1232;

    // A chain longer than this inside one zone is a loop or a mistake, not something to follow.
    private const int MaxCnameHops = 8;

    /// <param name="source">The address the query came from; null when unknown (the answer is then every healthy POP).</param>
    public DnsMessage Answer(DnsMessage query, IPAddress? source = null)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        ClientSubnetOption? subnet = null;
        if (query.IsEDnsEnabled)
        {
            response.IsEDnsEnabled = true;
            response.EDnsOptions = new OptRecord { UdpPayloadSize = UdpPayloadSize };
            var subnets = query.EDnsOptions!.Options.OfType<ClientSubnetOption>().ToList();
            if (subnets.Count > 1 || (subnets.Count == 1 && ClientSubnet.Check(subnets[0]) != ClientSubnetFault.None))
            {
                response.ReturnCode = ReturnCode.FormatError;
                return response;
            }
            subnet = subnets.FirstOrDefault();
        }

        var scope = Fill(query, response, subnet is null ? source : ClientSubnet.AddressOf(subnet));
        if (subnet is not null)
        {
            // FAMILY, SOURCE PREFIX-LENGTH and ADDRESS as asked, so the resolver can match the answer to its query.
            response.EDnsOptions!.Options.Add(new ClientSubnetOption(subnet.SourceNetmask, scope, subnet.Address));
        }
        return response;
    }

    /// <summary>Answers <paramref name="query"/> into <paramref name="response"/> for a client at <paramref name="client"/>; returns the scope of the answer.</summary>
    private byte Fill(DnsMessage query, DnsMessage response, IPAddress? client)
    {
        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return 0;
        }
        if (query.Questions.Count != 1 || query.IsQuery == false)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return 0;
        }

        var question = query.Questions[0];
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any) || zones.Find(question.Name) is not { } zone)
        {
            response.ReturnCode = ReturnCode.Refused;
            return 0;
        }

        response.IsAuthoritiveAnswer = true;
        var name = question.Name;
        // The longest scope of any name on the way (RFC 7871 §7.2.1): the whole answer is cached under one.
        byte scope = 0;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var here = zone.At(name);
            if (zone.SteeringAt(name) is { } steering)
            {
                var choice = steering.Choose(client);
                here = choice.Records;
                scope = Math.Max(scope, choice.ScopePrefixLength);
            }
            var matching = here.Where(r => Matches(r, question.RecordType)).ToList();
            if (matching.Count > 0)
            {
                response.AnswerRecords.AddRange(matching);
                return scope;
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
                return scope;
            }

            response.AnswerRecords.Add(alias);
            if (!alias.CanonicalName.IsEqualOrSubDomainOf(zone.Origin))
            {
                // Out of this zone: the resolver follows it itself.
                return scope;
            }
            name = alias.CanonicalName;
        }

        response.ReturnCode = ReturnCode.ServerFailure;
        return scope;
    }

    private static bool Matches(DnsRecordBase record, RecordType asked) =>
        asked == RecordType.Any || record.RecordType == asked;
}
