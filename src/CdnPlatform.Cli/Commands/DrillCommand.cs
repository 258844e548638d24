using System.CommandLine;
using System.Text.Json;
using CdnPlatform.Cli.Deploy;
using CdnPlatform.Cli.Drill;
using CdnPlatform.Client;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl drill dc-loss</c>: kills the active datacenter under load, lets it fail over, starts it again and
/// fails back, and prints what visitors saw in each phase. <c>cdnctl drill switchover</c>: the same load through
/// a planned switchover to the other datacenter and back. <c>cdnctl drill standby-loss</c>: kills a datacenter that
/// is not active under load and starts it again, which visitors must not notice at all. <c>cdnctl drill stall</c>:
/// pauses the active datacenter (or its Redis) until it is failed away from, then resumes it. Exit code 0 when every
/// phase held the bar of issue 12,
/// 1 when one did not (the misses are printed), 2 or 3 when the control plane refused or was out of reach.
/// </summary>
public static class DrillCommand
{
    public static Command Create()
    {
        var command = new Command("drill", "Rehearse a failure under load and report what visitors saw");
        command.Subcommands.Add(Drill("dc-loss",
            "Kill the active datacenter (gateways, nodes, Redis) under load, fail over, fail back; errors by kind, RTO, sessions, writes and purges lost",
            DrillScenario.DcLoss));
        command.Subcommands.Add(Drill("switchover",
            "Planned switchover under load to the other datacenter and back; the bar is nothing lost and no error of any kind", DrillScenario.Switchover));
        command.Subcommands.Add(Drill("standby-loss",
            "Kill a datacenter that is not active (default: the other one) under load and start it again; the bar is nothing lost, no error of any kind, no switch, and its Redis caught up",
            DrillScenario.StandbyLoss));
        command.Subcommands.Add(Drill("stall",
            "Pause the active datacenter (or --redis-only its Redis) under load until it is failed away from, then resume it; the bar is a loss's, and no acknowledged write lost",
            DrillScenario.Stall));
        return command;
    }

    private static Command Drill(string name, string description, DrillScenario scenario)
    {
        var kill = new Option<string?>("--kill")
        {
            Description = scenario == DrillScenario.StandbyLoss ? "The standby to kill (default: the first that is not active)" : "The datacenter to kill (default: the active one)",
        };
        var to = new Option<string?>("--to") { Description = "The datacenter that must take over (default: the other one that is up)" };
        var site = new Option<string?>("--site") { Description = "The site to load (default: the control plane's first)" };
        var steady = new Option<int>("--steady-seconds") { Description = "Load before the kill", DefaultValueFactory = _ => 5 };
        var after = new Option<int>("--after-seconds") { Description = "Load after each switch is done", DefaultValueFactory = _ => 10 };
        var visitors = new Option<int>("--visitors") { Description = "Visitors browsing public pages and /whoami", DefaultValueFactory = _ => 4 };
        var shoppers = new Option<int>("--shoppers") { Description = "Logged-in visitors writing to their carts", DefaultValueFactory = _ => 3 };
        var manual = new Option<bool>("--manual")
        {
            Description = $"Fail over by hand right after the {(scenario == DrillScenario.Stall ? "pause" : "kill")} instead of waiting for the automatic policy",
        };
        var noFailback = new Option<bool>("--no-failback") { Description = "Leave the killed datacenter down: no start, no failback" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file" };
        var redisOnly = new Option<bool>("--redis-only") { Description = "Pause only the datacenter's Redis; its nodes and gateways run on" };
        var resumeAfter = new Option<int>("--resume-after-seconds")
        {
            Description = "How long after the failover the paused datacenter resumes", DefaultValueFactory = _ => 1,
        };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command(name, description) { site, steady, after, visitors, shoppers, json, control, apiKey };
        switch (scenario)
        {
            case DrillScenario.DcLoss:
                command.Options.Add(to);
                command.Options.Add(kill);
                command.Options.Add(manual);
                command.Options.Add(noFailback);
                break;
            case DrillScenario.Switchover:
                command.Options.Add(to);
                break;
            case DrillScenario.Stall:
                command.Options.Add(to);
                command.Options.Add(manual);
                command.Options.Add(noFailback);
                command.Options.Add(redisOnly);
                command.Options.Add(resumeAfter);
                break;
            case DrillScenario.StandbyLoss:
                // Nothing takes over and nothing is failed back to: only which standby dies is the operator's.
                command.Options.Add(kill);
                break;
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here, not in a validator: a validator's GetValue does not see the options' defaults.
            foreach (var (option, least) in new[] { (steady, 1), (after, 1), (visitors, 1), (shoppers, 0), (resumeAfter, 0) })
            {
                if (parse.GetValue(option) < least)
                {
                    Console.Error.WriteLine($"{option.Name} must be at least {least}, was {parse.GetValue(option)}");
                    return 2;
                }
            }
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            client.Timeout = TimeSpan.FromMinutes(2);
            return await ControlApiClient.CallAsync(client, async () =>
            {
                var status = await ControlApiCalls.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/v1/status"),
                    ControlJsonContext.Default.NetworkStatus, cancellationToken);
                var siteName = parse.GetValue(site);
                if ((siteName is null ? status.Sites.FirstOrDefault() : status.Sites.FirstOrDefault(s => s.Name == siteName)) is not { } chosen || chosen.Hosts.Count == 0)
                {
                    Console.Error.WriteLine(siteName is null ? "the control plane serves no site to load" : $"the control plane serves no site '{siteName}'");
                    return 2;
                }
                var target = new DrillTarget([.. status.Edges.Select(e => e.Url.TrimEnd('/'))], chosen.Hosts[0], chosen.Name, client);
                var options = new DcLossDrillOptions
                {
                    Kill = scenario == DrillScenario.Switchover ? null : parse.GetValue(kill),
                    To = scenario == DrillScenario.StandbyLoss ? null : parse.GetValue(to),
                    Steady = TimeSpan.FromSeconds(parse.GetValue(steady)),
                    After = TimeSpan.FromSeconds(parse.GetValue(after)),
                    Manual = scenario is DrillScenario.DcLoss or DrillScenario.Stall && parse.GetValue(manual),
                    Failback = scenario is not (DrillScenario.DcLoss or DrillScenario.Stall) || !parse.GetValue(noFailback),
                    PauseRedisOnly = scenario == DrillScenario.Stall && parse.GetValue(redisOnly),
                    ResumeAfter = TimeSpan.FromSeconds(parse.GetValue(resumeAfter)),
                    Scenario = scenario,
                    Traffic = new DrillTrafficOptions { Visitors = parse.GetValue(visitors), Shoppers = parse.GetValue(shoppers) },
                };
                DcLossDrillReport report;
                try
                {
                    report = await new DcLossDrill(target, options, TimeProvider.System, line => Console.WriteLine($"· {line}")).RunAsync(cancellationToken);
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine($"the drill stopped: {e.Message}");
                    return 1;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: what ran is not a drill that can pass or fail, so no report; the drill has restarted
                    // a datacenter it killed, and said so.
                    Console.Error.WriteLine("the drill was interrupted: no report");
                    return 130;
                }
                DrillReportPrinter.Print(report, Console.Out);
                if (parse.GetValue(json) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(report, DrillReportPrinter.Json), cancellationToken);
                }
                return report.HeldTheBar ? 0 : 1;
            });
        });
        return command;
    }
}
