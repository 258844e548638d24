using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Sets every gateway's write mode again every <c>Control:DrainReassertSeconds</c> (<see cref="DatacenterSwitch.ReassertWritesAsync"/>),
/// as drains are: a gateway of the old primary that restarts after a switchover comes back taking writes for its
/// read-only nodes, and is set to forward them within that time.
/// </summary>
public sealed partial class WriteModeReasserter(DatacenterSwitch switcher, ControlOptions options, TimeProvider time, ILogger<WriteModeReasserter> logger)
    : BackgroundService
{
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
                var failed = (await switcher.ReassertWritesAsync(stoppingToken)).ToDictionary(f => f.Gateway, f => f.Error!);
                foreach (var (gateway, error) in failed.Where(f => _failing.Add(f.Key)))
                {
                    Log.Unreachable(logger, gateway, error);
                }
                _failing.RemoveWhere(g => !failed.ContainsKey(g));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Cannot tell gateway {Gateway} its write mode: {Error}; trying again every interval")]
        public static partial void Unreachable(ILogger logger, string gateway, string error);
    }
}
