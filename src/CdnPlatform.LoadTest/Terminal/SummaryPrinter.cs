using System.Globalization;
using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Thresholds;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CdnPlatform.LoadTest.Terminal;

/// <summary>
/// The tables after a run: what ran, the figures for the run, each POP and each datacenter, errors by kind, the
/// thresholds' verdicts, the events and the first errors. Spectre's tables fall back to plain text on a console without
/// ANSI, so the same summary reads in a CI log.
/// </summary>
public static class SummaryPrinter
{
    public static void Write(IAnsiConsole console, LoadReport report)
    {
        console.WriteLine();
        console.Write(Header(report));
        console.Write(Groups(report));
        if (report.Total.Errors > 0)
        {
            console.Write(ErrorKinds(report));
        }
        if (report.Thresholds.Count > 0)
        {
            console.Write(Thresholds(report.Thresholds));
        }
        if (report.Events.Count > 0)
        {
            console.Write(Events(report.Events));
        }
        if (report.ErrorSamples.Count > 0)
        {
            console.Write(ErrorSamples(report.ErrorSamples));
        }
        console.Write(Verdict(report));
        console.WriteLine();
    }

    private static Grid Header(LoadReport report)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Text("scenario"), new Markup($"[bold]{Markup.Escape(report.Scenario)}[/]"));
        grid.AddRow(new Text("model"), new Text(report.Model == "open" ? "open (arrival rate)" : $"{report.Model} (virtual users)"));
        grid.AddRow(new Text("started"), new Text(report.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        grid.AddRow(new Text("duration"), new Text(Figures.Duration(report.DurationSeconds)));
        var achieved = $"{Figures.Rate(report.Total.Rate)} req/s";
        grid.AddRow(new Text("rate"), new Text(report.RequestedRate is { } requested ? $"requested {Figures.Rate(requested)} req/s, achieved {achieved}" : $"achieved {achieved}"));
        grid.AddRow(new Text("status"), report.Interrupted
            ? new Markup("[yellow]interrupted[/]: stopped before its end; the figures are of what ran")
            : new Text("ran to its end"));
        return grid;
    }

    /// <summary>One row for the whole run, one per POP, one per datacenter.</summary>
    private static Table Groups(LoadReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var heading in (string[])["requests", "rate", "p50", "p90", "p99", "p99.9", "max", "hit", "errors"])
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        AddGroup(table, new Markup("[bold]all[/]"), report.Total);
        foreach (var pop in report.Pops)
        {
            AddGroup(table, new Text($"POP {pop.Name}"), pop);
        }
        foreach (var datacenter in report.Datacenters)
        {
            AddGroup(table, new Text($"DC {datacenter.Name}"), datacenter);
        }
        if (report.Datacenters.Count > 0)
        {
            // A DC row counts origin responses, not requests: a hit at the edge never reaches one.
            table.Caption("DC: the origin's responses, by the datacenter that made them");
        }
        return table;
    }

    private static void AddGroup(Table table, IRenderable name, GroupFigures figures)
    {
        var latency = figures.Latency;
        table.AddRow(name, new Text(Figures.Count(figures.Requests)), new Text(Figures.Rate(figures.Rate)),
            new Text(Figures.Milliseconds(latency.P50)), new Text(Figures.Milliseconds(latency.P90)), new Text(Figures.Milliseconds(latency.P99)),
            new Text(Figures.Milliseconds(latency.P999)), new Text(Figures.Milliseconds(latency.Max)), new Text(Figures.Percent(figures.HitRatio)),
            figures.Errors == 0 ? new Text("0") : new Markup($"[red]{Figures.Count(figures.Errors)}[/]"));
    }

    /// <summary>Errors by kind for the run and each POP: a timeout at one POP reads differently from 5xx everywhere.</summary>
    private static Table ErrorKinds(LoadReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("error").AddColumn(new TableColumn("all").RightAligned());
        foreach (var pop in report.Pops)
        {
            table.AddColumn(new TableColumn(Markup.Escape(pop.Name)).RightAligned());
        }
        foreach (var (kind, count) in report.Total.ErrorsByKind.Where(e => e.Value > 0).OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow([new Text(kind), new Text(Figures.Count(count)), .. report.Pops.Select(p => new Text(Figures.Count(p.ErrorsByKind.GetValueOrDefault(kind))))]);
        }
        return table;
    }

    private static Table Thresholds(IReadOnlyList<ThresholdResult> thresholds)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("threshold").AddColumn(new TableColumn("actual").RightAligned()).AddColumn("result");
        foreach (var threshold in thresholds)
        {
            table.AddRow(new Text(threshold.Expression), new Text(Actual(threshold)),
                threshold.Passed ? new Markup("[green]✓ PASS[/]") : new Markup("[red]✗ FAIL[/]"));
        }
        return table;
    }

    /// <summary>The figure in its metric's unit, read back from the expression: a latency, a count, a ratio or a rate.</summary>
    private static string Actual(ThresholdResult threshold)
    {
        if (threshold.Actual is not { } actual)
        {
            return Figures.None;
        }
        var metric = Threshold.TryParse(threshold.Expression, out var parsed, out _) ? parsed!.Metric : "";
        return metric switch
        {
            "p50" or "p90" or "p99" or "p99.9" or "max" or "mean" => Figures.Milliseconds(actual),
            "errors" or "requests" => Figures.Count((long)actual),
            "error_rate" or "hit_ratio" => Figures.Percent(actual),
            "rate" => $"{Figures.Rate(actual)} req/s",
            _ => actual.ToString("0.###", CultureInfo.InvariantCulture),
        };
    }

    private static Table Events(IReadOnlyList<TimelineEvent> events)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("at").RightAligned()).AddColumn("event").AddColumn("").AddColumn(new TableColumn("took").RightAligned());
        foreach (var e in events)
        {
            table.AddRow(new Text(Figures.At(e.At)), new Text(e.Kind), new Text(e.Label), new Text(e.Seconds is { } s ? Figures.Milliseconds(s * 1000) : ""));
        }
        return table;
    }

    private static Table ErrorSamples(IReadOnlyList<string> samples)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn($"the first {samples.Count} errors");
        foreach (var sample in samples)
        {
            table.AddRow(new Text(sample));
        }
        return table;
    }

    private static Markup Verdict(LoadReport report)
    {
        var broken = report.Thresholds.Count(t => !t.Passed);
        var thresholds = report.Thresholds.Count == 0 ? "no thresholds"
            : broken == 0 ? $"[green]PASS[/]: {report.Thresholds.Count} of {report.Thresholds.Count} thresholds held"
            : $"[red]FAIL[/]: {broken} of {report.Thresholds.Count} thresholds broke";
        return new Markup(report.Interrupted ? $"[yellow]INTERRUPTED[/] after {Figures.Duration(report.DurationSeconds)}; {thresholds}" : thresholds);
    }
}
