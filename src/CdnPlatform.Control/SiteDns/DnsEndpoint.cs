using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Purging;
using CdnPlatform.Control.SiteDns.Secondaries;

namespace CdnPlatform.Control.SiteDns;

/// <summary><c>GET /v1/dns</c> (ops): the zones the control plane serves, record by record, the regions, the POPs' health and each external server's state.</summary>
public static class DnsEndpoint
{
    public static void MapDnsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/dns", Get);
        app.MapPut("/v1/dns/active", SetActiveAsync);
    }

    /// <summary>
    /// <c>PUT /v1/dns/active {"datacenter": "dr"}</c> (ops): points <c>origin.</c> of every zone at that datacenter's
    /// gateways, effective for the next query. Every change is an audit line: who, what, before → after.
    /// </summary>
    private static async Task<IResult> SetActiveAsync(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, SiteDnsService dns,
        PopHealthMonitor pops, AuditLog audit, TimeProvider time, SecondaryPusher secondaries)
    {
        if (auth.Authenticate(context.Request.Headers.Authorization) is not { } principal)
        {
            return PurgeEndpoints.Unauthorized();
        }
        if (!principal.May(ApiAction.Ops))
        {
            return PurgeEndpoints.Error(StatusCodes.Status403Forbidden, $"key '{principal.Name}' may not change the DNS (needs 'ops')");
        }
        if (options.Dns.Port == 0)
        {
            return PurgeEndpoints.Error(StatusCodes.Status409Conflict, "this control plane serves no DNS (Control:Dns:Port is 0)");
        }

        string? datacenter;
        try
        {
            using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            datacenter = body.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && body.RootElement.TryGetProperty("datacenter", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
                ? value.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            datacenter = null;
        }
        if (datacenter is null || options.Datacenters.All(d => d.Name != datacenter))
        {
            return Results.Json(new ApiError(
                    $"datacenter must be one of {string.Join(", ", options.Datacenters.Select(d => $"'{d.Name}'"))}", "datacenter"),
                ControlJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        var before = dns.SetActiveDatacenter(datacenter);
        var published = dns.Current!;
        audit.Record(new DnsAuditEntry(time.GetUtcNow(), principal.Name, "active-datacenter",
            [.. published.Zones.Select(z => z.Origin.ToString())], before, datacenter, published.Serial));
        return Get(context, auth, options, dns, pops, secondaries);
    }

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, ControlOptions options, SiteDnsService dns, PopHealthMonitor pops,
        SecondaryPusher secondaries)
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
        var regions = options.Dns.Regions.Select((r, i) => new DnsRegionView(r.DisplayName(i), r.Prefixes, r.Pops));
        // Probed only while DNS is served: without it there is no www. to answer.
        var health = options.Dns.Port == 0 ? [] : pops.Pops.Zip(options.Edges, (pop, edge) =>
            new DnsPopView(pop.Name, new Uri(edge.Url).Host.Trim('[', ']'), dns.HealthyPops.Contains(pop.Name), pop.LastProbe));
        return Results.Json(new DnsStatus(
                options.Dns.Port == 0 ? null : $"{options.Dns.Address}:{options.Dns.Port}",
                dns.ActiveDatacenter,
                [.. zones],
                [.. regions],
                [.. health],
                [.. secondaries.States.Select(s => new DnsSecondaryView(s.Server, s.Zone, s.KeyName, s.Status, s.PublishedSerial, s.PushedSerial,
                    s.AckedSerial, s.AckedAt, s.Attempts, s.LastError, s.NextRetry))]),
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
