using CdnPlatform.LoadTest.Reporting;

namespace CdnPlatform.LoadTest.Tests.Reporting;

public sealed class JsonReportWriterTests
{
    [Fact]
    public async Task The_file_reads_back_whole_and_keeps_thresholds_as_people_wrote_them()
    {
        var report = SampleReports.Drill() with { SendLag = new LatencySummary(0.002, 0.01, 1.5, 3, 4, 0.05) };
        var path = Path.Combine(Path.GetTempPath(), $"cdnload-{Guid.NewGuid():N}.json");
        try
        {
            await JsonReportWriter.WriteAsync(report, path, CancellationToken.None);
            var text = await File.ReadAllTextAsync(path);
            var back = JsonReportWriter.Deserialize(text);

            Assert.Contains("\"p99 < 100ms\"", text);
            Assert.DoesNotContain("\\u003C", text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(report.Total, back.Total with { ErrorsByKind = report.Total.ErrorsByKind });
            Assert.Equal(report.Total.ErrorsByKind, back.Total.ErrorsByKind);
            Assert.Equal(report.Events, back.Events);
            Assert.Equal(report.Thresholds, back.Thresholds);
            Assert.Equal(report.SendLag, back.SendLag);
            Assert.Equal(report.Timeline.Count, back.Timeline.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
