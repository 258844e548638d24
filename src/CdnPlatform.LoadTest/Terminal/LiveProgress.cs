using CdnPlatform.LoadTest.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// Progress on an interactive terminal: one view redrawn in place, the last second's figures for the run and each POP
/// and the last few events. The sampler only swaps in a new <see cref="ProgressSnapshot"/>; the display runs on its own
/// task and draws whichever snapshot is latest, so a slow terminal never holds up the closing of a second.
/// </summary>
public sealed class LiveProgress : IRunProgress, IAsyncDisposable
{
    /// <summary>How often the display looks for a new snapshot: seconds close on the sampler's clock, not this one, so a
    /// fifth of a second is as late as a new second shows.</summary>
    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(200);

    private const int BarWidth = 30;

    /// <summary>Wide enough for <c>12,345</c>, <c>100.0%</c>, <c>12.3ms</c>, and narrow enough for 80 columns.</summary>
    private const int FigureWidth = 6;

    private readonly IAnsiConsole _console;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _updating = new();
    private ProgressSnapshot _latest;
    private Task? _display;

    public LiveProgress(IAnsiConsole console)
    {
        _console = console;
        _latest = ProgressSnapshot.Starting("", "", [], TimeSpan.Zero);
    }

    public ProgressSnapshot Latest => Volatile.Read(ref _latest);

    public void OnSecond(TimelineSecond second, TimeSpan elapsed, TimeSpan planned)
    {
        // The run calls one at a time; the lock only keeps an update from being lost should that ever change.
        lock (_updating)
        {
            Volatile.Write(ref _latest, _latest.WithSecond(second, elapsed, planned));
        }
    }

    public void OnEvent(TimelineEvent timelineEvent)
    {
        lock (_updating)
        {
            Volatile.Write(ref _latest, _latest.WithEvent(timelineEvent));
        }
    }

    /// <summary>Starts drawing from <paramref name="starting"/>; the view stays on screen until <see cref="StopAsync"/>.</summary>
    public void Start(ProgressSnapshot starting)
    {
        if (_display is not null)
        {
            throw new InvalidOperationException("the live progress has started already");
        }
        lock (_updating)
        {
            Volatile.Write(ref _latest, starting);
        }
        _display = Task.Run(ShowAsync);
    }

    /// <summary>Draws the latest snapshot a last time and leaves it on screen, so the summary follows the final figures.</summary>
    public async Task StopAsync()
    {
        if (_display is null)
        {
            return;
        }
        await _stop.CancelAsync();
        try
        {
            await _display;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // The display is a view of the run, not the run: losing it must not lose the summary or the report.
            await Console.Error.WriteLineAsync($"cdnload: the live progress stopped: {e.Message}");
        }
        _display = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    /// <summary>The view of one snapshot: pure, so a test can render it to a test console without the live loop.</summary>
    public static IRenderable Build(ProgressSnapshot snapshot)
    {
        var parts = new List<IRenderable> { Header(snapshot), Groups(snapshot), Totals(snapshot) };
        if (snapshot.RecentEvents.Count > 0)
        {
            parts.Add(Events(snapshot.RecentEvents));
        }
        return new Rows(parts);
    }

    private async Task ShowAsync()
    {
        var shown = Latest;
        await _console.Live(Build(shown)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            var stopping = false;
            while (!stopping)
            {
                try
                {
                    await Task.Delay(LookEvery, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    stopping = true;
                }
                var latest = Latest;
                if (!ReferenceEquals(latest, shown))
                {
                    shown = latest;
                    context.UpdateTarget(Build(latest));
                }
            }
        });
    }

    private static Markup Header(ProgressSnapshot snapshot)
    {
        var fraction = snapshot.Planned > TimeSpan.Zero ? Math.Clamp(snapshot.Elapsed / snapshot.Planned, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * BarWidth);
        var bar = $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/]";
        return new Markup(
            $"[bold]{Markup.Escape(snapshot.Scenario)}[/] ({Markup.Escape(snapshot.Model)})  {bar}  " +
            $"{Figures.Duration(Math.Round(snapshot.Elapsed.TotalSeconds))} of {Figures.Duration(snapshot.Planned.TotalSeconds)}  {Figures.Percent(fraction)}");
    }

    /// <summary>The last second for the whole run and per POP.</summary>
    private static Table Groups(ProgressSnapshot snapshot)
    {
        // Fixed widths: a table sized to its figures would change width from one second to the next.
        var table = new Table().Border(TableBorder.Rounded).Title("last second")
            .AddColumn(new TableColumn("").Width(snapshot.Pops.Select(p => p.Length).Append("all".Length).Max()));
        foreach (var heading in (string[])["req/s", "target", "p50", "p99", "max", "hit", "errors"])
        {
            table.AddColumn(new TableColumn(heading).RightAligned().Width(FigureWidth));
        }
        if (snapshot.Last is not { } last)
        {
            foreach (var name in (string[])["all", .. snapshot.Pops])
            {
                table.AddRow(new Text(name), Empty(), Empty(), Empty(), Empty(), Empty(), Empty(), Empty());
            }
            return table;
        }
        table.AddRow(new Markup("[bold]all[/]"), new Text(Figures.Count(last.Requests)),
            new Text(last.TargetRate is { } target ? Figures.Rate(target) : Figures.None),
            new Text(Figures.Milliseconds(last.Latency.P50)), new Text(Figures.Milliseconds(last.Latency.P99)),
            new Text(Figures.Milliseconds(last.Latency.Max)), new Text(Figures.Percent(last.HitRatio)), ErrorCount(last.Errors));
        foreach (var pop in last.Pops)
        {
            table.AddRow(new Text(pop.Name), new Text(Figures.Count(pop.Requests)), new Text(""),
                new Text(Figures.Milliseconds(pop.Latency.P50)), new Text(Figures.Milliseconds(pop.Latency.P99)),
                new Text(Figures.Milliseconds(pop.Latency.Max)), new Text(Figures.Percent(pop.HitRatio)), ErrorCount(pop.Errors));
        }
        return table;
    }

    /// <summary>The run so far: a burst of errors ten seconds ago is still worth seeing once the last second is clean.</summary>
    private static Markup Totals(ProgressSnapshot snapshot)
    {
        if (snapshot.Last is null)
        {
            return new Markup("[grey]waiting for the first second of load[/]");
        }
        var errors = snapshot.Errors == 0
            ? "[green]no errors[/]"
            : $"[red]{Figures.Count(snapshot.Errors, "error")}[/] ({Markup.Escape(Figures.ErrorKinds(snapshot.ErrorsByKind))})";
        return new Markup($"so far: {Figures.Count(snapshot.Requests, "request")}, {errors}");
    }

    private static Table Events(IReadOnlyList<TimelineEvent> events)
    {
        var table = new Table().Border(TableBorder.None).Title("events")
            .AddColumn(new TableColumn("at").RightAligned()).AddColumn("kind").AddColumn("").AddColumn(new TableColumn("took").RightAligned());
        table.ShowHeaders = false;
        foreach (var e in events)
        {
            table.AddRow(new Text(Figures.At(e.At)), new Text(e.Kind), new Text(e.Label),
                new Text(e.Seconds is { } s ? Figures.Milliseconds(s * 1000) : ""));
        }
        return table;
    }

    private static IRenderable ErrorCount(long errors) =>
        errors == 0 ? new Text("0") : new Markup($"[red]{Figures.Count(errors)}[/]");

    private static Text Empty() => new(Figures.None);
}
