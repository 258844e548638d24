using System.Text.Json;
using System.Text.Json.Serialization;

namespace CdnPlatform.Cli.Drill;

/// <summary>A drill report as people read it (one block per phase), and the JSON options of its file form.</summary>
public static class DrillReportPrinter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static void Print(DcLossDrillReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(report.Scenario switch
        {
            DrillScenario.Switchover => $"switchover drill: {report.Killed} → {report.TookOver} and back, planned",
            DrillScenario.StandbyLoss => $"standby-loss drill: {report.Killed} killed and started again, {report.TookOver} active throughout",
            DrillScenario.Stall => $"stall drill: {report.Killed} paused, {report.TookOver} took over ({(report.Automatic ? "automatic failover" : "failover by hand")}), {report.Killed} resumed",
            _ => $"dc-loss drill: {report.Killed} killed, {report.TookOver} took over ({(report.Automatic ? "automatic failover" : "failover by hand")})",
        });
        foreach (var phase in report.Phases)
        {
            output.WriteLine();
            output.WriteLine($"{phase.Name}: {phase.Event} at {phase.EventAt.TotalSeconds:0.0} s, {phase.Duration.TotalSeconds:0.0} s of load");
            foreach (var kind in phase.Kinds)
            {
                output.WriteLine($"  {kind.Kind.ToString().ToLowerInvariant(),-12} {kind.Requests,7} requests {kind.Errors,5} errors   slowest {kind.Slowest.TotalSeconds:0.00} s");
                foreach (var error in kind.FirstErrors)
                {
                    output.WriteLine($"               {error}");
                }
            }
            if (phase.Switched is { } switched && phase.Name != DrillPhaseNames.Steady)
            {
                output.WriteLine($"  {DrillPhaseNames.Milestone(phase.Name),-13} {switched.TotalSeconds:0.00} s after the event");
            }
            output.WriteLine($"  rto           {phase.Recovery.TotalSeconds:0.00} s (uncacheable reads and writes failing after the event)");
            output.WriteLine($"  sessions      {phase.SessionsKept}/{phase.Sessions} still logged in");
            output.WriteLine($"  writes        {phase.WritesAcknowledged} acknowledged, {phase.WritesLost} lost");
            output.WriteLine($"  purges        {phase.PurgesAccepted} accepted, {phase.PurgesLost} lost");
        }
        output.WriteLine();
        output.WriteLine(report.HeldTheBar ? "every phase held the bar" : "missed the bar:");
        foreach (var miss in report.Misses)
        {
            output.WriteLine($"  {miss}");
        }
    }
}
