using System.Net;
using CdnPlatform.Edge.Configuration;
using DnsClient;
using DnsClient.Protocol;

namespace CdnPlatform.Edge.Resolving;

/// <summary>
/// Asks the configured resolvers, in order, for a name's A and AAAA records with DnsClient, until one answers.
/// DnsClient's own cache is off (<see cref="ResolvedName"/> keeps the answers, stale ones included) and it is
/// given one resolver at a time, so that what counts as a failure is decided here: a timeout, SERVFAIL,
/// REFUSED or anything but NOERROR and NXDOMAIN moves on to the next resolver; NXDOMAIN and NODATA are answers.
/// </summary>
internal sealed class AddressLookup
{
    /// <summary>The negative TTL when an answer without addresses carries no SOA to take it from (RFC 2308 §5).</summary>
    private static readonly TimeSpan NegativeTtlWithoutSoa = TimeSpan.FromSeconds(30);

    private readonly LookupClient _client;
    private readonly IReadOnlyList<(NameServer Server, string Endpoint)> _resolvers;

    public AddressLookup(EdgeDnsOptions options)
    {
        _resolvers = [.. options.ResolverEndpoints().Select(e => (new NameServer(e), e.ToString()))];
        _client = new LookupClient(new LookupClientOptions([.. _resolvers.Select(r => r.Server)])
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(options.QueryTimeoutMilliseconds),
            // A lost datagram is sent again once before the next resolver is asked.
            Retries = 1,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
        });
    }

    public async Task<LookupOutcome> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var (resolver, endpoint) in _resolvers)
        {
            var server = new[] { resolver };
            try
            {
                // Both from the same resolver: addresses of two resolvers' different versions of the zone would be a mix.
                var v4 = _client.QueryServerAsync(server, name, QueryType.A, QueryClass.IN, cancellationToken);
                var v6 = _client.QueryServerAsync(server, name, QueryType.AAAA, QueryClass.IN, cancellationToken);
                var responses = await Task.WhenAll(v4, v6);
                if (responses.FirstOrDefault(r => !IsAnswer(r)) is { } refusal)
                {
                    reasons.Add($"{endpoint}: {refusal.Header.ResponseCode}");
                    continue;
                }
                return Read(responses, endpoint);
            }
            catch (DnsResponseException e)
            {
                // DnsClient reports its cancellation as a timeout too.
                cancellationToken.ThrowIfCancellationRequested();
                reasons.Add($"{endpoint}: {e.Code} ({e.InnerException?.Message ?? e.Message})");
            }
        }
        return LookupOutcome.Failure(string.Join("; ", reasons));
    }

    private static bool IsAnswer(IDnsQueryResponse response) =>
        response.Header.ResponseCode is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain;

    private static LookupOutcome Read(IDnsQueryResponse[] responses, string resolver)
    {
        var addresses = new List<IPAddress>();
        TimeSpan? ttl = null;
        foreach (var response in responses)
        {
            foreach (var record in response.Answers)
            {
                // The lowest TTL on the way counts, CNAMEs included.
                ttl = Min(ttl, TimeSpan.FromSeconds(record.TimeToLive));
                if (record is AddressRecord address && !addresses.Contains(address.Address))
                {
                    addresses.Add(address.Address);
                }
            }
        }
        if (addresses.Count == 0)
        {
            // RFC 2308 §5: a negative answer lasts the lower of the SOA's TTL and its minimum field.
            ttl = null;
            foreach (var soa in responses.SelectMany(r => r.Authorities).OfType<SoaRecord>())
            {
                ttl = Min(ttl, TimeSpan.FromSeconds(Math.Min((long)soa.TimeToLive, soa.Minimum)));
            }
        }
        return LookupOutcome.Answer(addresses, ttl ?? NegativeTtlWithoutSoa, resolver);
    }

    private static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } value && value < b ? value : b;
}
