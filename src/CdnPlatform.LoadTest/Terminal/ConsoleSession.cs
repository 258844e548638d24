using System.Globalization;
using CdnPlatform.LoadTest.Commands;
using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;
using Spectre.Console;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// The run's terminal side: a line saying what is about to run, live progress on an interactive terminal or a plain
/// line per second elsewhere (and with <c>--plain</c>), and the summary tables at the end.
/// </summary>
public sealed class ConsoleSession : IRunProgressSession
{
    /// <summary>The width the summary is laid out to when stdout is a file or a pipe: a log has no width to fit, and
    /// Spectre's default of 80 columns would wrap the figures table.</summary>
    public const int RedirectedWidth = 160;

    private readonly IAnsiConsole _console;
    private readonly LiveProgress? _live;

    /// <param name="console">Where the announcement, the live view and the summary go.</param>
    /// <param name="plainOutput">Where plain progress lines go; null for the live view.</param>
    internal ConsoleSession(IAnsiConsole console, TextWriter? plainOutput)
    {
        _console = console;
        if (plainOutput is null)
        {
            _live = new LiveProgress(console);
            Progress = _live;
        }
        else
        {
            Progress = new PlainProgress(plainOutput);
        }
    }

    public IRunProgress Progress { get; }

    /// <param name="plain"><c>--plain</c>: progress lines even on a terminal.</param>
    public static IRunProgressSession Create(bool plain)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        // The live view redraws with cursor moves: it needs ANSI as well as a terminal (TERM=dumb has neither).
        var live = !plain && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi && !Console.IsOutputRedirected;
        return new ConsoleSession(console, live ? null : Console.Out);
    }

    public void Announce(Scenario scenario, IReadOnlyList<PopTarget> targets)
    {
        _console.WriteLine(Announcement(scenario, targets));
        _live?.Start(ProgressSnapshot.Starting(scenario.Name, ModelName(scenario.Model), [.. targets.Select(t => t.Name)], scenario.Duration));
    }

    /// <summary><c>browse: open model, 30s, up to 200 req/s via ams http://127.0.10.1:8080, fra http://127.0.20.1:8080</c></summary>
    public static string Announcement(Scenario scenario, IReadOnlyList<PopTarget> targets)
    {
        var peak = scenario.Model == LoadModel.Open ? $"{Figures.Rate(scenario.Peak)} req/s" : $"{Figures.Rate(scenario.Peak)} users";
        var via = string.Join(", ", targets.Select(t => $"{t.Name} {t.Address.GetLeftPart(UriPartial.Authority)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{scenario.Name}: {ModelName(scenario.Model)} model, {Figures.Duration(scenario.Duration.TotalSeconds)}, up to {peak} via {via}");
    }

    public async Task CompleteAsync(LoadReport report)
    {
        if (_live is not null)
        {
            await _live.StopAsync();
        }
        SummaryPrinter.Write(_console, report);
    }

    public async ValueTask DisposeAsync()
    {
        // Without CompleteAsync the run failed: the live view still has to give the terminal back (cursor, line).
        if (_live is not null)
        {
            await _live.DisposeAsync();
        }
    }

    private static string ModelName(LoadModel model) => model == LoadModel.Open ? "open" : "closed";
}
