using System.Text.Json.Serialization;

namespace CdnPlatform.Control.Api;

/// <summary>Every 4xx/5xx body: what went wrong, and for a 400 the request field at fault.</summary>
public sealed record ApiError(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
