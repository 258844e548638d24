using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CdnPlatform.LoadTest.Reporting;

/// <summary>Writes a report as JSON (<c>--json FILE</c>).</summary>
public static class JsonReportWriter
{
    // A file people read and tools parse, never HTML: thresholds stay "p99 < 50ms" rather than "p99 \u003C 50ms".
    // The HTML report embeds the JSON with its own escaping (HtmlReportWriter).
    private static readonly JsonTypeInfo<LoadReport> FileJson = (JsonTypeInfo<LoadReport>)new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(LoadReport));

    public static string Serialize(LoadReport report) => JsonSerializer.Serialize(report, FileJson);

    public static LoadReport Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.LoadReport) ?? throw new JsonException("the report is empty");

    public static async Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, FileJson, cancellationToken);
    }
}
