using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Commands;

/// <summary>The run's terminal side. TEMPORARY until the terminal progress lands: prints nothing during the run.</summary>
public sealed class ConsoleSession : IRunProgressSession, IRunProgress
{
    public IRunProgress Progress => this;

    public static IRunProgressSession Create(bool plain) => new ConsoleSession();

    public void Announce(Scenario scenario, IReadOnlyList<PopTarget> targets) =>
        Console.WriteLine($"{scenario.Name}: {string.Join(", ", targets.Select(t => $"{t.Name} {t.Address}"))}");

    public Task CompleteAsync(LoadReport report)
    {
        Console.WriteLine(JsonReportWriter.Serialize(report with { Timeline = [] }));
        return Task.CompletedTask;
    }

    public void OnSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned) =>
        Console.WriteLine($"[{second.Second}] {second.Requests} p99 {second.Latency.P99}");

    public void OnEvent(TimelineEvent timelineEvent) => Console.WriteLine($"[{timelineEvent.At}] {timelineEvent.Kind}: {timelineEvent.Label}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
