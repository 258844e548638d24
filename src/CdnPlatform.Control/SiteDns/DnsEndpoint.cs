using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;

namespace CdnPlatform.Control.SiteDns;

/// <summary><c>GET /v1/dns</c> (ops): the zones the control plane serves, record by record.</summary>
public static class DnsEndpoint
{
    public static void MapDnsEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/dns", Get);

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, SiteDnsService dns)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not read the DNS (needs 'ops')");
        }

        var zones = dns.Catalog.Zones.Select(zone => new DnsZoneView(
            zone.Origin.ToString(), zone.Soa.SerialNumber, zone.Soa.NegativeCachingTTL,
            [.. zone.Records.Select(r => new DnsRecordView(r.Name.ToString(), r.RecordType.ToString().ToUpperInvariant(), r.TimeToLive, RecordData(r)))]));
        return Results.Json(new DnsStatus(
                options.Dns.Port == 0 ? null : $"{options.Dns.Address}:{options.Dns.Port}",
                dns.ActiveDatacenter,
                [.. zones]),
            ControlJsonContext.Default.DnsStatus);
    }

    // The record's text after owner, TTL, class and type, as in a zone file.
    private static string RecordData(ARSoft.Tools.Net.Dns.DnsRecordBase record)
    {
        var text = record.ToString();
        var parts = text.Split((char[]?)null, 5, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 5 ? parts[4] : text;
    }
}
