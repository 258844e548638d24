using System.Text.Json.Serialization;

namespace CdnPlatform.LoadTest.Reporting;

/// <summary>The JSON of a report, as <c>--json</c> writes it and the HTML report embeds it: camelCase, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
