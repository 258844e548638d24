using CdnPlatform.Client;
using CdnPlatform.Control.Api;

namespace CdnPlatform.Cli.Drill;

/// <summary>
/// <c>cdnctl drill dc-loss</c>: steady load through every edge, then the active datacenter killed whole (its
/// gateways, nodes and Redis, through the control plane's <c>POST /v1/dc/{name}/kill</c>), the failover (the
/// control plane's automatic policy, or asked for at once with <see cref="DcLossDrillOptions.Manual"/>), and the
/// failback once the killed datacenter is started again; each phase reported as visitors saw it. The same load
/// drives the planned switchover and back (<c>cdnctl drill switchover</c>), the loss and return of a standby
/// (<c>cdnctl drill standby-loss</c>), and the active datacenter paused and resumed (<c>cdnctl drill stall</c>).
/// </summary>
public sealed class DcLossDrill(DrillTarget target, DcLossDrillOptions options, TimeProvider time, Action<string> progress)
{
    private readonly DatacenterApi _api = new(target.Control);

    /// <exception cref="InvalidOperationException">The network is not in a state the drill can start from, or a switch never completed.</exception>
    public async Task<DcLossDrillReport> RunAsync(CancellationToken cancellationToken)
    {
        var before = await _api.StatusAsync(cancellationToken);
        var standby = options.Scenario == DrillScenario.StandbyLoss;
        var killed = options.Kill ?? (standby ? before.Datacenters.FirstOrDefault(d => d.Name != before.Active)?.Name : before.Active)
            ?? throw new InvalidOperationException($"there is no datacenter but the active one ({before.Active}) to kill");
        if (before.Datacenters.All(d => d.Name != killed))
        {
            throw new InvalidOperationException($"there is no datacenter '{killed}' (there are {string.Join(", ", before.Datacenters.Select(d => d.Name))})");
        }
        if (standby && killed == before.Active)
        {
            throw new InvalidOperationException($"the standby drill kills a datacenter that is not active, and {killed} is (cdnctl drill dc-loss kills the active one)");
        }
        if (!standby && killed != before.Active)
        {
            throw new InvalidOperationException(options.Scenario == DrillScenario.Stall
                ? $"the stall drill pauses the active datacenter, and {killed} is not active ({before.Active} is)"
                : $"the drill kills the active datacenter, and {killed} is not active ({before.Active} is; cdnctl drill standby-loss kills a standby)");
        }
        if (standby && before.Datacenters.Single(d => d.Name == before.Active).ControlView != "up")
        {
            throw new InvalidOperationException($"the active datacenter {before.Active} is not up for the control plane: a standby drill starts from a healthy active one");
        }
        var tookOver = standby ? before.Active : options.To ?? before.Datacenters.FirstOrDefault(d => d.Name != killed && d.ControlView == "up")?.Name
            ?? throw new InvalidOperationException($"no datacenter other than {killed} is up to take over: cdnctl dc status shows why");

        var log = new DrillLog(time);
        var phases = new List<(string Name, string Event, TimeSpan At, TimeSpan End, TimeSpan? Switched, (int Kept, int Total) Sessions, bool Planned)>();
        await using (var traffic = new DrillTraffic(target, options.Traffic, log))
        {
            progress($"preparing: pages from the sitemap, every edge warmed, {options.Traffic.Shoppers} shoppers logged in");
            await traffic.PrepareAsync(cancellationToken);
            traffic.Start();
            var steadyAt = log.Now;
            progress($"steady load for {options.Steady.TotalSeconds:0} s through {target.Edges.Count} edges");
            await Task.Delay(options.Steady, time, cancellationToken);
            phases.Add((DrillPhaseNames.Steady, "load started", steadyAt, log.Now, TimeSpan.Zero, await traffic.CountSessionsAsync(cancellationToken), true));

            if (options.Scenario == DrillScenario.Switchover)
            {
                phases.Add(await SwitchoverPhaseAsync(DrillPhaseNames.Switchover, killed, tookOver, log, traffic, cancellationToken));
                if (options.Failback)
                {
                    phases.Add(await SwitchoverPhaseAsync(DrillPhaseNames.Switchback, tookOver, killed, log, traffic, cancellationToken));
                }
            }
            else if (standby)
            {
                phases.AddRange(await StandbyPhasesAsync(killed, tookOver, log, traffic, cancellationToken));
            }
            else if (options.Scenario == DrillScenario.Stall)
            {
                phases.AddRange(await StallPhasesAsync(killed, tookOver, log, traffic, cancellationToken));
                if (options.Failback)
                {
                    phases.Add(await FailbackPhaseAsync(killed, tookOver, log, traffic, cancellationToken));
                }
            }
            else
            {
                var killAt = log.Now;
                progress($"killing {killed}: every process of the datacenter, its Redis included");
                var down = false;
                try
                {
                    // Down from the moment the kill is asked for: an interrupt during the call may still have let it run.
                    down = true;
                    await _api.KillAsync(killed, cancellationToken);
                    if (options.Manual)
                    {
                        progress($"failing over to {tookOver} by hand");
                        await _api.FailoverAsync(tookOver, false, cancellationToken);
                    }
                    var switched = await WaitActiveAsync(tookOver, killAt, log, cancellationToken);
                    progress($"{tookOver} active {switched.TotalSeconds:0.0} s after the kill; load for {options.After.TotalSeconds:0} s more");
                    await Task.Delay(options.After, time, cancellationToken);
                    phases.Add((DrillPhaseNames.DcLoss, $"{killed} killed", killAt, log.Now, switched, await traffic.CountSessionsAsync(cancellationToken), false));

                    if (options.Failback)
                    {
                        progress($"starting {killed} again");
                        await _api.StartAsync(killed, cancellationToken);
                        down = false;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && down && options.Failback)
                {
                    await RestartAfterInterruptAsync(killed);
                    throw;
                }

                if (options.Failback)
                {
                    phases.Add(await FailbackPhaseAsync(killed, tookOver, log, traffic, cancellationToken));
                }
            }
            progress("load stopped; waiting for every purge to settle");
        }

        var outcomesByPhase = DrillFigures.ByPhase(log.Outcomes, [.. phases.Select(p => (p.At, p.End))]);
        var reports = phases.Select((p, i) =>
        {
            var outcomes = outcomesByPhase[i];
            var (accepted, lost) = log.PurgesBetween(p.At, p.End);
            return new DrillPhaseReport(p.Name, p.Event, p.At, p.End - p.At, DrillFigures.ByKind(outcomes), DrillFigures.Recovery(outcomes, p.At), p.Switched,
                p.Sessions.Kept, p.Sessions.Total, log.WritesAcknowledgedBetween(p.At, p.End), log.WritesLostBetween(p.At, p.End), accepted, lost);
        }).ToList();
        var misses = reports.SelectMany(r => DrillBar.Misses(r, planned: phases.Single(p => p.Name == r.Name).Planned)).ToList();
        if (standby && (await _api.StatusAsync(cancellationToken)).Active != tookOver)
        {
            misses.Add($"the active datacenter changed from {tookOver} while only a standby was lost (cdnctl dc status shows the last switch)");
        }
        return new DcLossDrillReport(killed, tookOver, !options.Manual && options.Scenario is DrillScenario.DcLoss or DrillScenario.Stall, reports, misses)
        {
            Scenario = options.Scenario,
        };
    }

    /// <summary>
    /// A drill stopped (Ctrl+C) between its kill and its restart: the killed datacenter is started again, as a
    /// rehearsal must not leave a real outage behind. It is not failed back to: a failback moves the shop's writes,
    /// which the operator who stopped the drill decides, so what to run next is printed instead. With
    /// <see cref="DcLossDrillOptions.Failback"/> off the operator asked for it to stay down, and it does.
    /// </summary>
    private async Task RestartAfterInterruptAsync(string killed, bool failedOver = true)
    {
        progress(failedOver ? $"interrupted: starting {killed} again (it is not failed back to)" : $"interrupted: starting {killed} again");
        using var patience = new CancellationTokenSource(RestartPatience);
        try
        {
            await _api.StartAsync(killed, patience.Token);
            progress(failedOver
                ? $"{killed} started; `cdnctl dc status` shows which datacenter is active, `cdnctl dc failback --to {killed}` returns to it"
                : $"{killed} started");
        }
        catch (Exception e) when (e is OperationCanceledException or ControlApiException or HttpRequestException)
        {
            progress($"{killed} could not be started again ({e.Message}): start it with `cdnctl dc start {killed}`");
        }
    }

    /// <summary>How long an interrupted drill waits for the control plane to start the killed datacenter again.</summary>
    internal static readonly TimeSpan RestartPatience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A standby killed under the running load, <see cref="DcLossDrillOptions.After"/> of load while it is down (its
    /// milestone: the control plane's probes see it down), then started again and loaded until its Redis caught up with
    /// the active one's and <see cref="DcLossDrillOptions.After"/> more. Neither phase may cost visitors anything. A
    /// milestone that never comes is a miss of the bar (null), not the end of the drill: the load's figures still count.
    /// </summary>
    private async Task<IEnumerable<(string, string, TimeSpan, TimeSpan, TimeSpan?, (int, int), bool)>> StandbyPhasesAsync(string killed, string active,
        DrillLog log, DrillTraffic traffic, CancellationToken cancellationToken)
    {
        var killAt = log.Now;
        progress($"killing {killed}, a standby: every process of the datacenter, its Redis included; {active} stays active");
        try
        {
            await _api.KillAsync(killed, cancellationToken);
            // Both milestones on the drill's clock from their event, as the report gives every phase's.
            var seenDown = await _api.WaitDownAsync(killed, options.SwitchTimeout, time, cancellationToken) is not null ? log.Now - killAt : (TimeSpan?)null;
            progress(seenDown is { } down
                ? $"{killed} seen down by the control plane {down.TotalSeconds:0.0} s after the kill; load for {options.After.TotalSeconds:0} s more"
                : $"the control plane did not see {killed} down within {options.SwitchTimeout.TotalSeconds:0} s; load for {options.After.TotalSeconds:0} s more");
            await Task.Delay(options.After, time, cancellationToken);
            var loss = (DrillPhaseNames.StandbyLoss, $"{killed} killed", killAt, log.Now, seenDown, await traffic.CountSessionsAsync(cancellationToken), true);

            var startAt = log.Now;
            progress($"starting {killed} again: its Redis resyncs as a replica of {active}'s");
            await _api.StartAsync(killed, cancellationToken);
            return [loss, await UntilCaughtUpAsync(DrillPhaseNames.StandbyBack, $"{killed} started", killed, active, startAt, planned: true, log, traffic, cancellationToken)];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Started again whether or not the kill or the start had run: a start of a running datacenter does nothing.
            await RestartAfterInterruptAsync(killed, failedOver: false);
            throw;
        }
    }

    /// <summary>Once <paramref name="lost"/> is up again for the control plane: the failback to it under the running load, then <see cref="DcLossDrillOptions.After"/> more.</summary>
    private async Task<(string, string, TimeSpan, TimeSpan, TimeSpan?, (int, int), bool)> FailbackPhaseAsync(string lost, string active, DrillLog log,
        DrillTraffic traffic, CancellationToken cancellationToken)
    {
        var failbackAt = log.Now;
        await WaitUpAsync(lost, cancellationToken);
        progress($"failing back to {lost}: resync as a replica of {active}, then a planned switchover");
        await _api.FailbackAsync(lost, false, cancellationToken);
        var back = await WaitActiveAsync(lost, failbackAt, log, cancellationToken);
        progress($"{lost} active again; load for {options.After.TotalSeconds:0} s more");
        await Task.Delay(options.After, time, cancellationToken);
        var what = options.Scenario == DrillScenario.Stall ? "resumed" : "started";
        return (DrillPhaseNames.Failback, $"{lost} {what} and failed back to", failbackAt, log.Now, back, await traffic.CountSessionsAsync(cancellationToken), true);
    }

    /// <summary>
    /// The active datacenter (or only its Redis) paused under the running load until the control plane shows the
    /// other one active (by itself, or at once with <see cref="DcLossDrillOptions.Manual"/>), and resumed
    /// <see cref="DcLossDrillOptions.ResumeAfter"/> later; then loaded until its Redis is a caught-up replica of the
    /// new primary's (the fence on sight) and <see cref="DcLossDrillOptions.After"/> more. A milestone that never
    /// comes is a miss of the bar, not the end of the drill.
    /// </summary>
    private async Task<IEnumerable<(string, string, TimeSpan, TimeSpan, TimeSpan?, (int, int), bool)>> StallPhasesAsync(string paused, string tookOver,
        DrillLog log, DrillTraffic traffic, CancellationToken cancellationToken)
    {
        var what = options.PauseRedisOnly ? $"{paused}'s Redis" : paused;
        var pauseAt = log.Now;
        progress(options.PauseRedisOnly
            ? $"pausing {what} (SIGSTOP): its nodes and gateways run on, waiting on it"
            : $"pausing {paused} (SIGSTOP to every process of it): it keeps its state and connections and answers nothing");
        try
        {
            await _api.PauseAsync(paused, options.PauseRedisOnly, cancellationToken);
            if (options.Manual)
            {
                progress($"failing over to {tookOver} by hand");
                await _api.FailoverAsync(tookOver, false, cancellationToken);
            }
            var switched = await WaitActiveAsync(tookOver, pauseAt, log, cancellationToken);
            progress($"{tookOver} active {switched.TotalSeconds:0.0} s after the pause; resuming {what} {options.ResumeAfter.TotalSeconds:0.#} s later");
            await Task.Delay(options.ResumeAfter, time, cancellationToken);
            var stall = (DrillPhaseNames.Stall, $"{what} paused", pauseAt, log.Now, (TimeSpan?)switched, await traffic.CountSessionsAsync(cancellationToken), false);

            var resumeAt = log.Now;
            progress($"resuming {what}: the control plane fences its Redis, a primary still, as a replica of {tookOver}'s");
            await _api.ResumeAsync(paused, cancellationToken);
            return [stall, await UntilCaughtUpAsync(DrillPhaseNames.Resumed, $"{what} resumed", paused, tookOver, resumeAt, planned: false, log, traffic, cancellationToken)];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A rehearsal leaves nothing stopped behind, whether or not the pause had run.
            await ResumeAfterInterruptAsync(paused);
            throw;
        }
    }

    /// <summary>
    /// After <paramref name="datacenter"/> was started or resumed at <paramref name="at"/>: load until its Redis is a linked
    /// replica of <paramref name="active"/>'s that has caught up (the phase's milestone, null if it never did), then
    /// <see cref="DcLossDrillOptions.After"/> more.
    /// </summary>
    private async Task<(string, string, TimeSpan, TimeSpan, TimeSpan?, (int, int), bool)> UntilCaughtUpAsync(string phase, string @event, string datacenter,
        string active, TimeSpan at, bool planned, DrillLog log, DrillTraffic traffic, CancellationToken cancellationToken)
    {
        var caughtUp = await _api.WaitCaughtUpAsync(datacenter, options.SwitchTimeout, time, cancellationToken) is not null ? log.Now - at : (TimeSpan?)null;
        progress(caughtUp is { } up
            ? $"{datacenter}'s Redis caught up as a replica of {active}'s {up.TotalSeconds:0.0} s after: {@event}; load for {options.After.TotalSeconds:0} s more"
            : $"{datacenter}'s Redis did not catch up as a replica of {active}'s within {options.SwitchTimeout.TotalSeconds:0} s; load for {options.After.TotalSeconds:0} s more");
        await Task.Delay(options.After, time, cancellationToken);
        return (phase, @event, at, log.Now, caughtUp, await traffic.CountSessionsAsync(cancellationToken), planned);
    }

    private async Task ResumeAfterInterruptAsync(string paused)
    {
        progress($"interrupted: resuming {paused}");
        using var patience = new CancellationTokenSource(RestartPatience);
        try
        {
            await _api.ResumeAsync(paused, patience.Token);
            progress($"{paused} resumed; `cdnctl dc status` shows which datacenter is active");
        }
        catch (ControlApiException e) when (e.StatusCode == 409)
        {
            progress($"{paused} was not paused ({e.Message})");
        }
        catch (Exception e) when (e is OperationCanceledException or ControlApiException or HttpRequestException)
        {
            progress($"{paused} could not be resumed ({e.Message}): resume it with `cdnctl dc resume {paused}`");
        }
    }

    /// <summary>One planned switchover under the running load, then <see cref="DcLossDrillOptions.After"/> more of it.</summary>
    private async Task<(string, string, TimeSpan, TimeSpan, TimeSpan?, (int, int), bool)> SwitchoverPhaseAsync(string name, string from, string to,
        DrillLog log, DrillTraffic traffic, CancellationToken cancellationToken)
    {
        var at = log.Now;
        progress($"switching over from {from} to {to}: writes held, the replica caught up, promoted, DNS repointed");
        await _api.SwitchoverAsync(to, false, cancellationToken);
        var switched = await WaitActiveAsync(to, at, log, cancellationToken);
        progress($"{to} active; load for {options.After.TotalSeconds:0} s more");
        await Task.Delay(options.After, time, cancellationToken);
        return (name, $"switchover {from} → {to}", at, log.Now, switched, await traffic.CountSessionsAsync(cancellationToken), true);
    }

    /// <summary>Polls <c>GET /v1/dc</c> until <paramref name="datacenter"/> is active; how long after <paramref name="since"/> it was seen.</summary>
    private async Task<TimeSpan> WaitActiveAsync(string datacenter, TimeSpan since, DrillLog log, CancellationToken cancellationToken) =>
        await _api.WaitActiveAsync(datacenter, options.SwitchTimeout - (log.Now - since), time, cancellationToken) is not null
            ? log.Now - since
            : throw new InvalidOperationException($"{datacenter} was not active {options.SwitchTimeout.TotalSeconds:0} s after the switch began: cdnctl dc status shows why");

    /// <summary>Waits until the control plane's own probes see <paramref name="datacenter"/> up, which a failback needs without force.</summary>
    private async Task WaitUpAsync(string datacenter, CancellationToken cancellationToken)
    {
        if (await _api.WaitUpAsync(datacenter, options.SwitchTimeout, time, cancellationToken) is { } reason)
        {
            throw new InvalidOperationException($"{datacenter} was started but the control plane does not see it up: {reason}");
        }
    }
}
