using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ARSoft.Tools.Net.Dns;

namespace CdnPlatform.Control.Observability;

/// <summary>Queries the control plane's DNS server answered: <c>cdn_control_dns_queries_total</c> by type and response code.</summary>
public sealed class DnsQueryMetrics
{
    private readonly Counter<long> _queries;

    public DnsQueryMetrics(IMeterFactory meters)
    {
        _queries = meters.Create(ControlMeter.Name).CreateCounter<long>("cdn.control.dns.queries", unit: "{query}",
            description: "DNS queries answered, by question type and response code.");
    }

    private static readonly ConcurrentDictionary<RecordType, string> TypeNames = new();

    public void Answered(RecordType? type, ReturnCode code) => _queries.Add(1,
        new KeyValuePair<string, object?>("type", type is { } t ? TypeNames.GetOrAdd(t, static t => t.ToString().ToUpperInvariant()) : "NONE"),
        new KeyValuePair<string, object?>("rcode", Mnemonic(code)));

    // As dig prints them (RFC 1035, 2136 names).
    private static string Mnemonic(ReturnCode code) => code switch
    {
        ReturnCode.NoError => "NOERROR",
        ReturnCode.FormatError => "FORMERR",
        ReturnCode.ServerFailure => "SERVFAIL",
        ReturnCode.NxDomain => "NXDOMAIN",
        ReturnCode.NotImplemented => "NOTIMP",
        ReturnCode.Refused => "REFUSED",
        ReturnCode.NotAuthoritive => "NOTAUTH",
        _ => "OTHER",
    };
}
