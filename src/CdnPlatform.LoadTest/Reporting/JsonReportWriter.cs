using System.Text.Json;

namespace CdnPlatform.LoadTest.Reporting;

/// <summary>Writes a report as JSON (<c>--json FILE</c>).</summary>
public static class JsonReportWriter
{
    public static string Serialize(LoadReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.LoadReport);

    public static LoadReport Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.LoadReport) ?? throw new JsonException("the report is empty");

    public static async Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, ReportJsonContext.Default.LoadReport, cancellationToken);
    }
}
