using System.CommandLine;
using CdnPlatform.Client;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl dc status</c>: every datacenter's health as the control plane probes it, which one is active and the
/// last switch. <c>cdnctl dc switchover --to dr [--force]</c> and <c>cdnctl dc failover --to dr [--force]</c>: the
/// planned switchover and the failover, printed step by step. <c>cdnctl dc failback [--to primary] [--force]</c>: resync
/// the datacenter the last switch left as a replica of the active one, then switch over back to it. <c>cdnctl dc kill
/// primary</c> and <c>cdnctl dc start primary</c>: cut and restore a datacenter of the local network, for drills;
/// <c>cdnctl dc pause primary [--redis-only]</c> and <c>cdnctl dc resume primary</c>: stall it and let it run on.
/// </summary>
public static class DcCommand
{
    public static Command Create()
    {
        var command = new Command("dc", "Show the datacenters' health, or move the active datacenter");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Switch("switchover",
            "Planned switchover: hold writes, wait for the replica, promote it, repoint origin., forward the old primary's writes",
            (api, to, force, ct) => api.SwitchoverAsync(to!, force, ct)));
        command.Subcommands.Add(Switch("failover",
            "Failover from a datacenter that is down: fence it where it answers, promote the target, repoint origin.; says what may be lost",
            (api, to, force, ct) => api.FailoverAsync(to!, force, ct)));
        command.Subcommands.Add(Switch("failback",
            "Failback: resync the returning datacenter's Redis as a replica of the active one's, then a planned switchover back to it",
            (api, to, force, ct) => api.FailbackAsync(to, force, ct), toRequired: false));
        command.Subcommands.Add(Power("kill", "SIGKILL a datacenter of the local network (cdnctl up --redis auto): gateways, nodes and its Redis at once",
            (api, dc, ct) => api.KillAsync(dc, ct)));
        command.Subcommands.Add(Power("start", "Start a killed datacenter of the local network again, on its addresses and with its Redis data",
            (api, dc, ct) => api.StartAsync(dc, ct)));
        var redisOnly = new Option<bool>("--redis-only") { Description = "Pause only the datacenter's Redis: storage that stalls under nodes that run on" };
        command.Subcommands.Add(Power("pause",
            "SIGSTOP a datacenter of the local network (or --redis-only its Redis): it keeps its state and connections and answers nothing until resumed",
            (api, dc, ct, parse) => api.PauseAsync(dc, parse.GetValue(redisOnly), ct), redisOnly));
        command.Subcommands.Add(Power("resume", "SIGCONT what cdnctl dc pause stopped", (api, dc, ct) => api.ResumeAsync(dc, ct)));
        return command;
    }

    private static Command Status()
    {
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var json = new Option<bool>("--json") { Description = "Print GET /v1/dc as it came, for scripts" };
        var command = new Command("status", "Each datacenter as the health monitor sees it, the active one, and the last switch") { json, control, apiKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            return await ControlApiClient.CallAsync(client, async () =>
            {
                var status = await new DatacenterApi(client).StatusAsync(cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(status, ControlJsonContext.Default.DatacenterList));
                }
                else
                {
                    Print(status);
                }
                return 0;
            });
        });
        return command;
    }

    private static Command Switch(string name, string description, Func<DatacenterApi, string?, bool, CancellationToken, Task<DatacenterSwitchReport>> call,
        bool toRequired = true)
    {
        var to = new Option<string>("--to")
        {
            Description = toRequired ? "The datacenter to make active, e.g. dr" : "The datacenter to return to (default: the one the last switch left)",
            Required = toRequired,
        };
        var force = new Option<bool>("--force") { Description = "Switch even if the health monitor does not see the target up" };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command(name, description)
        {
            to, force, control, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            client.Timeout = TimeSpan.FromMinutes(2);
            return await ControlApiClient.CallAsync(client, async () =>
            {
                Print(await call(new DatacenterApi(client), parse.GetValue(to), parse.GetValue(force), cancellationToken));
                return 0;
            }, afterFailure: "\nNothing was changed; cdnctl dc status shows the datacenters.");
        });
        return command;
    }

    private static Command Power(string name, string description, Func<DatacenterApi, string, CancellationToken, Task<DatacenterPowerState>> call) =>
        Power(name, description, (api, dc, ct, _) => call(api, dc, ct));

    private static Command Power(string name, string description, Func<DatacenterApi, string, CancellationToken, ParseResult, Task<DatacenterPowerState>> call,
        params Option[] options)
    {
        var datacenter = new Argument<string>("datacenter") { Description = "The datacenter, e.g. primary" };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command(name, description) { datacenter, control, apiKey };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            // A start answers once the datacenter's nodes are ready, which on two cores takes a while.
            client.Timeout = TimeSpan.FromMinutes(2);
            return await ControlApiClient.CallAsync(client, async () =>
            {
                var state = await call(new DatacenterApi(client), parse.GetValue(datacenter)!, cancellationToken, parse);
                Console.WriteLine($"{state.Datacenter}: {state.State} ({state.Milliseconds} ms)");
                return 0;
            });
        });
        return command;
    }

    private static void Print(DatacenterList list)
    {
        Console.WriteLine($"active: {list.Active}   (probes every {list.ProbeMilliseconds} ms)");
        Console.WriteLine($"failover state: {list.State}{(list.Step is { } step ? $" at step {step}" : "")}{(list.Since is { } since ? $" since {since:u}" : "")}"
            + (list.PreviousActive is { } previous ? $"; failback returns to {previous}" : ""));
        foreach (var datacenter in list.Datacenters)
        {
            Console.WriteLine($"{datacenter.Name}{(datacenter.Active ? " (active)" : "")}  control plane sees it {datacenter.ControlView}; "
                + $"{(datacenter.Down ? "DOWN" : "not down")}: {datacenter.Reason}");
            foreach (var probe in datacenter.Gateways.Append(datacenter.Redis).OfType<ProbeView>())
            {
                Console.WriteLine($"  {probe.Target,-32} {probe.State,-8}{(probe.LastError is { } error ? " " + error : "")}");
            }
            foreach (var edge in datacenter.Edges)
            {
                Console.WriteLine($"  edge {edge.Edge,-27} {edge.View,-8} {edge.Detail}");
            }
            if (datacenter.RedisRole is { } role)
            {
                var link = datacenter.ReplicationLinkUp switch { true => ", link to its primary up", false => ", link to its primary DOWN", null => "" };
                Console.WriteLine($"  redis role {role}, replication offset {datacenter.ReplicationOffset}{link}");
            }
        }
        if (list.LastSwitch is { } last)
        {
            Console.WriteLine($"last switch: {last.Kind} {last.From} → {last.To}: {last.Outcome}");
        }
    }

    private static void Print(DatacenterSwitchReport report)
    {
        foreach (var step in report.Steps)
        {
            Console.WriteLine($"{step.Step,-15} {step.Milliseconds,6} ms  {step.Detail}");
        }
        Console.WriteLine($"{report.Kind} {report.From} → {report.To}: {report.Outcome}"
            + (report.BehindBytes is > 0 ? $" ({report.BehindBytes} bytes of writes may be lost)" : ""));
    }
}
