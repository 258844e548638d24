using System.CommandLine;
using CdnPlatform.Client;
using CdnPlatform.LoadTest.Events;
using CdnPlatform.LoadTest.Reporting;
using CdnPlatform.LoadTest.Running;
using CdnPlatform.LoadTest.Scenarios;
using CdnPlatform.LoadTest.Workload;

namespace CdnPlatform.LoadTest.Commands;

/// <summary>
/// <c>cdnload run SCENARIO</c>: runs a built-in scenario or a scenario file and prints, writes and checks the results.
/// Exit codes: 0 every threshold held; 1 a threshold broke; 2 bad input (an unknown or malformed scenario, a bad flag, an
/// unreachable target); 130 stopped by Ctrl+C (the report of what ran is still written).
/// </summary>
public static class RunCommand
{
    public const int Passed = 0;
    public const int ThresholdsBroken = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
    public const string CmsKeyVariable = "CDN_CMS_KEY";

    public static Command Create(Func<bool, IRunProgressSession> progress)
    {
        var scenario = new Argument<string>("scenario") { Description = $"A built-in scenario ({string.Join(", ", BuiltInScenarios.Names)}) or a scenario file (.json)" };
        var rate = new Option<double?>("--rate") { Description = "Open model: the base arrival rate, requests/s (the stages scale with it)" };
        var users = new Option<int?>("--users") { Description = "Closed model: the base number of virtual users (the stages scale with it)" };
        var duration = new Option<string?>("--duration") { Description = "How long the whole load lasts, e.g. 30s, 2m (the stages scale to it)" };
        var target = new Option<string[]>("--target") { Description = "An edge to load, URL or NAME=URL; repeat for each POP (default: every edge the control plane lists)", AllowMultipleArgumentsPerToken = false };
        var dns = new Option<string?>("--dns") { Description = "Find the POPs through this DNS server (e.g. 127.0.0.1:8053): the site's A records, on --edge-port" };
        var edgePort = new Option<int>("--edge-port") { Description = "The edges' port with --dns", DefaultValueFactory = _ => 8080 };
        var site = new Option<string?>("--site") { Description = "The Host to send (default: the scenario's, www.shop.test)" };
        var connections = new Option<int?>("--connections") { Description = "At most this many connections per POP (default: the scenario's, 64)" };
        var json = new Option<FileInfo?>("--json") { Description = "Write the report as JSON to this file" };
        var html = new Option<FileInfo?>("--html") { Description = "Write the report as one self-contained HTML file" };
        var trace = new Option<FileInfo?>("--trace") { Description = "Write every request as a CSV line: due time, POP, path, status, latency, service time" };
        var plain = new Option<bool>("--plain") { Description = "Plain progress lines even on a terminal" };
        var control = new Option<string?>("--control") { Description = $"Control plane URL (default ${ControlHttpClient.UrlVariable} or {ControlHttpClient.DefaultUrl})" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Control API key, ops scope for dc-drill (default ${ControlHttpClient.KeyVariable})" };
        var cmsKey = new Option<string?>("--cms-key") { Description = $"The CMS key, for purge-storm (default ${CmsKeyVariable})" };
        var command = new Command("run", "Run a scenario against the edges")
        {
            scenario, rate, users, duration, target, dns, edgePort, site, connections, json, html, trace, plain, control, apiKey, cmsKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Scenario chosen;
            IReadOnlyList<PopTarget> targets;
            using var controlClient = ControlHttpClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            try
            {
                chosen = Configure(BuiltInScenarios.Resolve(parse.GetValue(scenario)!), parse.GetValue(rate), parse.GetValue(users), parse.GetValue(duration),
                    parse.GetValue(site), parse.GetValue(connections));
                var explicitTargets = parse.GetValue(target) ?? [];
                targets = explicitTargets.Length > 0 ? TargetResolver.Explicit(explicitTargets)
                    : parse.GetValue(dns) is { } server ? await TargetResolver.FromDnsAsync(server, chosen.Site, parse.GetValue(edgePort), cancellationToken)
                    : await TargetResolver.FromControlPlaneAsync(controlClient, cancellationToken);
            }
            catch (Exception e) when (e is ScenarioException or ArgumentException or TargetUnreachableException)
            {
                Console.Error.WriteLine($"cdnload: {e.Message}");
                return BadInput;
            }

            var settings = new RunSettings(targets, controlClient, parse.GetValue(cmsKey) ?? Environment.GetEnvironmentVariable(CmsKeyVariable),
                parse.GetValue(trace)?.FullName);
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // The first Ctrl+C stops the load and still writes the report; a second one is the usual hard stop.
                if (!interrupt.IsCancellationRequested)
                {
                    e.Cancel = true;
                    interrupt.Cancel();
                }
            };
            Console.CancelKeyPress += onCancel;
            using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                interrupt.Cancel();
            });
            LoadReport report;
            try
            {
                LoadEvents.Check(chosen, settings);
                await using var session = progress(parse.GetValue(plain));
                session.Announce(chosen, targets);
                report = await new LoadRun(chosen, settings, session.Progress, TimeProvider.System).RunAsync(interrupt.Token);
                await session.CompleteAsync(report);
            }
            catch (Exception e) when (e is ScenarioException or TargetUnreachableException)
            {
                Console.Error.WriteLine($"cdnload: {e.Message}");
                return BadInput;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            if (parse.GetValue(json) is { } jsonFile)
            {
                await JsonReportWriter.WriteAsync(report, jsonFile.FullName, CancellationToken.None);
                Console.WriteLine($"report (JSON): {jsonFile.FullName}");
            }
            if (parse.GetValue(html) is { } htmlFile)
            {
                await HtmlReportWriter.WriteAsync(report, htmlFile.FullName, CancellationToken.None);
                Console.WriteLine($"report (HTML): {htmlFile.FullName}");
            }
            return report.Interrupted ? Interrupted : report.Passed ? Passed : ThresholdsBroken;
        });
        return command;
    }

    /// <summary>The scenario with the flags applied.</summary>
    /// <exception cref="ScenarioException">A flag that does not fit the scenario.</exception>
    public static Scenario Configure(Scenario scenario, double? rate, int? users, string? duration, string? site, int? connections)
    {
        if (rate is not null && scenario.Model == LoadModel.Closed)
        {
            throw new ScenarioException($"--rate is for an open model; {scenario.Name} is closed: use --users");
        }
        if (users is not null && scenario.Model == LoadModel.Open)
        {
            throw new ScenarioException($"--users is for a closed model; {scenario.Name} is open: use --rate");
        }
        if (rate is <= 0 || users is <= 0)
        {
            throw new ScenarioException(rate is <= 0 ? "--rate must be more than 0" : "--users must be more than 0");
        }
        if (connections is <= 0)
        {
            throw new ScenarioException("--connections must be more than 0");
        }
        TimeSpan? length = null;
        if (duration is not null)
        {
            if (!DurationText.TryParse(duration, out var parsed) || parsed <= TimeSpan.Zero)
            {
                throw new ScenarioException($"--duration '{duration}' is not a duration (e.g. 30s, 2m, 1m30s)");
            }
            length = parsed;
        }
        var configured = scenario.Rescale(rate ?? users, length);
        return configured with
        {
            Site = site ?? configured.Site,
            Connections = connections ?? configured.Connections,
        };
    }
}
