using System.Text.Json;

namespace CdnPlatform.Control.Audit;

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
