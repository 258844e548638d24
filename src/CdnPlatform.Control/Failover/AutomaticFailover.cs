using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// The automatic failover (<c>Control:Failover:Automatic</c>): after every round of the monitor's probes, asks
/// <see cref="AutomaticFailoverPolicy"/> and, when it says so, runs <see cref="DatacenterSwitch.FailoverAsync"/> as
/// <see cref="AuditKey"/>, after an audit line with the verdict's reason. A refused failover spends the policy too: it
/// is retried when a person switches or the lost datacenter comes back, not every round into the audit log.
/// </summary>
public sealed partial class AutomaticFailover(ControlOptions options, DatacenterMonitor monitor, DatacenterSwitch switcher, AuditLog audit,
    TimeProvider time, ILogger<AutomaticFailover> logger) : BackgroundService
{
    /// <summary>Who the audit names for a failover the control plane decided itself.</summary>
    public const string AuditKey = "automatic-failover";

    private string? _spentOn;
    private DatacenterSwitchReport? _own;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Failover.Automatic)
        {
            return;
        }
        try
        {
            while (true)
            {
                await monitor.NextRound.WaitAsync(stoppingToken);
                await DecideAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DecideAsync(CancellationToken stoppingToken)
    {
        var active = switcher.Active;
        var last = switcher.Last;
        var decision = AutomaticFailoverPolicy.Decide(active, monitor.Snapshot.Datacenters, _spentOn,
            personSwitched: last is not null && !ReferenceEquals(last, _own));
        switch (decision.Action)
        {
            case AutomaticFailoverAction.Rearm:
                Log.Rearmed(logger, decision.Reason);
                _spentOn = null;
                return;
            case AutomaticFailoverAction.FailOver:
                _spentOn = active;
                audit.Record(new FailoverAuditEntry(time.GetUtcNow(), AuditKey, "failover", "automatic", active, decision.To!, decision.Reason));
                Log.FailingOver(logger, active, decision.To!, decision.Reason);
                try
                {
                    var report = await switcher.FailoverAsync(decision.To!, force: false, AuditKey, stoppingToken);
                    Log.FailedOver(logger, active, decision.To!, report.Outcome, report.BehindBytes ?? 0);
                }
                catch (SwitchRefusedException e)
                {
                    Log.Refused(logger, active, decision.To!, e.Message);
                }
                _own = switcher.Last;
                return;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Automatic failover from {From} to {To}: {Reason}")]
        public static partial void FailingOver(ILogger logger, string from, string to, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Automatic failover from {From} to {To}: {Outcome}, {BehindBytes} bytes of writes may be lost")]
        public static partial void FailedOver(ILogger logger, string from, string to, string outcome, long behindBytes);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Automatic failover from {From} to {To} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string from, string to, string reason);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Automatic failover armed again: {Reason}")]
        public static partial void Rearmed(ILogger logger, string reason);
    }
}
