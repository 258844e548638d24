using System.Buffers;
using System.Text.Json;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Auth;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Audit;

/// <summary>
/// <c>GET /v1/audit?recent=N</c> (ops): the newest audit lines kept in memory (<c>Control:AuditHistory</c>), newest
/// first, each with its kind, as written to the log: <c>{"entries": [{"kind": "purge", "entry": {…}}, …]}</c>.
/// </summary>
public static class AuditEndpoint
{
    public const int DefaultRecent = 50;
    public const int MaxRecent = 1000;

    public static void MapAuditEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/audit", Get);

    private static IResult Get(HttpContext context, ApiKeyAuthenticator auth, AuditLog audit, string? recent)
    {
        if (DatacenterEndpoints.Refuse(context, auth, "read the audit log", out _) is { } refused)
        {
            return refused;
        }
        if (RecentParameter.Read(recent, DefaultRecent, MaxRecent, out var count) is { } badCount)
        {
            return badCount;
        }
        // The lines are JSON already, each made by its entry's generated serializer: they go out as they are.
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("entries");
            foreach (var line in audit.Recent(count))
            {
                json.WriteStartObject();
                json.WriteString("kind", line.Kind);
                json.WritePropertyName("entry");
                json.WriteRawValue(line.Json, skipInputValidation: true);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Results.Bytes(buffer.WrittenMemory, "application/json; charset=utf-8");
    }
}
