using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Nodes;

/// <summary>
/// Tells every gateway its datacenter's drains again every <see cref="ControlOptions.DrainReassertSeconds"/>: a
/// gateway keeps its drains in memory, so one that restarted, or missed a change while unreachable, is right
/// again within that time.
/// </summary>
public sealed partial class DrainReasserter(NodeRotation rotation, ControlOptions options, TimeProvider time, ILogger<DrainReasserter> logger)
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
                        Note(report);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Note(GatewayReport report)
    {
        if (report.Error is { } error)
        {
            if (_failing.Add(report.Gateway))
            {
                Log.Unreachable(logger, report.Gateway, error);
            }
        }
        else if (_failing.Remove(report.Gateway))
        {
            Log.Reachable(logger, report.Gateway);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Cannot tell gateway {Gateway} its drains: {Error}; trying again every interval")]
        public static partial void Unreachable(ILogger logger, string gateway, string error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Gateway {Gateway} has its drains again")]
        public static partial void Reachable(ILogger logger, string gateway);
    }
}
