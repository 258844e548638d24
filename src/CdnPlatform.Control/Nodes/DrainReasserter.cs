using CdnPlatform.Control.Failover;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Nodes;

/// <summary>
/// Tells every gateway its datacenter's drains, and how to treat writes (<see cref="DatacenterSwitch.ReassertWritesAsync"/>),
/// again every <see cref="ControlOptions.DrainReassertSeconds"/>: a gateway keeps both in memory, so one that
/// restarted, or missed a change while unreachable, is right again within that time. (A gateway of the old primary
/// that restarts after a switchover comes back taking writes for its read-only nodes, and forwards them again.) In the
/// same beat it fences a datacenter's Redis that came back a primary while another is active
/// (<see cref="DatacenterSwitch.FenceReturningPrimariesAsync"/>).
/// </summary>
public sealed partial class DrainReasserter(NodeRotation rotation, DatacenterSwitch switcher, ControlOptions options, TimeProvider time,
    ILogger<DrainReasserter> logger)
    : BackgroundService
{
    // Gateways whose last push failed: their failure is logged once, not every second.
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Datacenters.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.DrainReassertSeconds), time);
        try
        {
            do
            {
                foreach (var reports in await Task.WhenAll(options.Datacenters.Select(d => rotation.PushAsync(d, stoppingToken))))
                {
                    foreach (var report in reports)
                    {
                        Note(report.Gateway, report.Error, "drains");
                    }
                }
                var writes = (await switcher.ReassertWritesAsync(stoppingToken)).ToDictionary(w => w.Gateway, w => w.Error);
                foreach (var gateway in options.Datacenters.SelectMany(d => d.Gateways))
                {
                    Note(gateway, writes.GetValueOrDefault(gateway), "write mode");
                }
                await switcher.FenceReturningPrimariesAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Note(string gateway, string? error, string what)
    {
        var key = what + " " + gateway;
        if (error is not null)
        {
            if (_failing.Add(key))
            {
                Log.Unreachable(logger, gateway, what, error);
            }
        }
        else if (_failing.Remove(key))
        {
            Log.Reachable(logger, gateway, what);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Cannot tell gateway {Gateway} its {What}: {Error}; trying again every interval")]
        public static partial void Unreachable(ILogger logger, string gateway, string what, string error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Gateway {Gateway} has its {What} again")]
        public static partial void Reachable(ILogger logger, string gateway, string what);
    }
}
