using CdnPlatform.Cluster.Transport;
using CdnPlatform.Control.Api;
using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Configuration;
using CdnPlatform.Control.Nodes;
using CdnPlatform.Control.SiteDns;
using StackExchange.Redis;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// Moves the active datacenter. A planned switchover loses nothing and fails no request:
/// <list type="number">
/// <item>hold writes at the active datacenter's gateways (reads go on);</item>
/// <item>wait until the writes already past them have finished;</item>
/// <item>wait until the target's Redis replica has the primary's whole replication stream;</item>
/// <item>promote the target's Redis and make the old primary its replica (StackExchange.Redis's <c>MakePrimaryAsync</c>);</item>
/// <item>give the origin nodes time to see their new roles;</item>
/// <item>point <c>origin.</c> at the target (edges re-resolve on the DNS change);</item>
/// <item>forward the old primary's writes, the held ones first, to the target's gateways, and open the target's.</item>
/// </list>
/// Until the promotion, any failure reopens the writes and changes nothing; after it, the switch goes on.
/// One switch at a time; every step is an audit line and is saved as the <see cref="FailoverState"/>
/// (<see cref="IFailoverStateStore"/>), which the control plane reads back when it starts: a switch found half-done
/// is shown by <c>GET /v1/dc</c> and completed by running the same command again, never resumed on its own.
/// </summary>
public sealed partial class DatacenterSwitch(ControlOptions options, SiteDnsService dns, DatacenterMonitor monitor, GatewayClient gateways,
    AuditLog audit, IFailoverStateStore store, TimeProvider time, ILogger<DatacenterSwitch> logger) : IHostedService
{
    /// <summary>Who the audit names for a fence the control plane made by itself.</summary>
    public const string FenceAuditKey = "control-plane";

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ControlFailoverOptions _failover = options.Failover;
    private readonly string _home = options.Dns.ActiveDatacenter.Length > 0 ? options.Dns.ActiveDatacenter : options.Datacenters.FirstOrDefault()?.Name ?? "";
    private volatile FailoverState? _state;
    // The last fence failure logged: the same one again (every second) is not logged again.
    private string? _fenceFailure;

    /// <summary>The datacenter visitors are sent to: where <c>origin.</c> points when the control plane serves DNS.</summary>
    public string Active => dns.ActiveDatacenter ?? _state?.Active ?? _home;

    /// <summary>The last switch that was asked for, done or refused; null before the first.</summary>
    public DatacenterSwitchReport? Last => _state?.Last;

    /// <summary>The failover state as last saved; null before the first switch of this network.</summary>
    public FailoverState? State => _state;

    /// <summary>Reads the saved state, so the active datacenter (when this control plane serves no DNS) and the last switch outlive a restart.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var saved = await LoadSavedAsync(store, logger, cancellationToken);
        _state = saved is not null && options.Datacenters.Any(d => d.Name == saved.Active) ? saved : null;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The saved state, or null when there is none or the store does not answer: the control plane still starts, on
    /// the configured datacenter, and says so in the log (it serves DNS; purges are refused until Redis is back anyway).
    /// </summary>
    public static async Task<FailoverState?> LoadSavedAsync(IFailoverStateStore store, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await store.LoadAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.StateUnreadable(logger, e.Message);
            return null;
        }
    }

    /// <summary>The planned switchover; both datacenters must be up.</summary>
    /// <exception cref="SwitchRefusedException">Nothing visitors see was changed; the message says why.</exception>
    public Task<DatacenterSwitchReport> SwitchoverAsync(string to, bool force, string who, CancellationToken cancellationToken) =>
        RunAsync("switchover", to, who, run => SwitchoverAsync(run, force, cancellationToken), cancellationToken);

    /// <summary>
    /// The failover, for an active datacenter that is down (or must be left now): fence it where it still answers
    /// (hold its writes, make its Redis a replica), promote the target without waiting for a primary that may never
    /// answer, repoint <c>origin.</c>. <see cref="DatacenterSwitchReport.BehindBytes"/> is what the target's replica
    /// lacked of the primary's stream at the primary's last known offset: the writes that may be lost.
    /// </summary>
    /// <exception cref="SwitchRefusedException">Nothing visitors see was changed; the message says why.</exception>
    public Task<DatacenterSwitchReport> FailoverAsync(string to, bool force, string who, CancellationToken cancellationToken) =>
        RunAsync("failover", to, who, run => FailoverAsync(run, force, cancellationToken), cancellationToken);

    /// <summary>
    /// The way back after a failover (or a switchover): make <paramref name="to"/>'s Redis a replica of the active one's
    /// (a primary that came back with writes of its own loses them to the full resync), wait until it has caught up,
    /// then the planned switchover to it. <paramref name="to"/> null: the datacenter the last switch left
    /// (<see cref="FailoverState.PreviousActive"/>), else the configured one. Nothing to do when it is active already.
    /// </summary>
    /// <exception cref="SwitchRefusedException">Nothing visitors see was changed; the message says why.</exception>
    public Task<DatacenterSwitchReport> FailbackAsync(string? to, bool force, string who, CancellationToken cancellationToken) =>
        RunAsync("failback", to ?? _state?.PreviousActive ?? _home, who, run => FailbackAsync(run, force, cancellationToken), cancellationToken);

    /// <summary>
    /// Tells every gateway how to treat writes when no switch is running: the active datacenter's take them, every
    /// other one forwards them to the active one's gateways (its nodes are read-only replicas). A gateway keeps
    /// this in memory, so one that restarted is set right by the next call. Returns the gateways that did not answer.
    /// </summary>
    public async Task<IReadOnlyList<GatewayWriteState>> ReassertWritesAsync(CancellationToken cancellationToken)
    {
        if (!await _one.WaitAsync(0, cancellationToken))
        {
            return []; // a switch is setting them, step by step
        }
        try
        {
            var active = Datacenter(Active);
            var answers = await Task.WhenAll(options.Datacenters.SelectMany(d => d.Gateways.Select(g => gateways.PutWritesAsync(g,
                d.Name == active.Name ? new GatewayWriteMode("open") : new GatewayWriteMode("forward", active.Gateways), cancellationToken))));
            return [.. answers.Where(a => a.Error is not null)];
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Makes the Redis of every datacenter that is not active, and answered the last probe as a primary, a replica of
    /// the active one's (<see cref="ControlFailoverOptions.FenceReturningPrimaries"/>). A primary killed and started
    /// again after a failover is one: its nodes would take writes, from whoever reaches them, that the failback's resync
    /// discards. What it held of its own goes now instead of at the failback, and the failback finds it resynced.
    /// Nothing is done while a switch runs, or unless the active datacenter's Redis answers as a primary too; a failure
    /// is logged (the same one once) and tried again at the next call.
    /// </summary>
    public async Task FenceReturningPrimariesAsync(CancellationToken cancellationToken)
    {
        if (!_failover.FenceReturningPrimaries || !await _one.WaitAsync(0, cancellationToken))
        {
            return;
        }
        try
        {
            var active = options.Datacenters.FirstOrDefault(d => d.Name == Active);
            var returned = options.Datacenters.Where(d => d != active && d.Redis.Length > 0 && monitor.AnsweredAsPrimary(d.Name)).ToList();
            if (active is null || active.Redis.Length == 0 || returned.Count == 0 || !monitor.AnsweredAsPrimary(active.Name))
            {
                return;
            }
            using var activeRedis = await ConnectAsync(active.Redis, required: false);
            if (activeRedis is null || !(await ReplicationAsync(activeRedis.GetServer(Endpoint(active)))).IsPrimary)
            {
                return;
            }
            foreach (var datacenter in returned)
            {
                await FenceAsync(datacenter, active, Endpoint(active));
            }
            _fenceFailure = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever it was, the beat that calls this (the write modes' re-assertion) must go on.
            if (e.Message != _fenceFailure)
            {
                _fenceFailure = e.Message;
                Log.FenceFailed(logger, e.Message);
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task FenceAsync(ControlDatacenterOptions datacenter, ControlDatacenterOptions active, System.Net.EndPoint primary)
    {
        using var redis = await ConnectAsync(datacenter.Redis, required: false);
        if (redis is null)
        {
            return;
        }
        var server = redis.GetServer(Endpoint(datacenter));
        var was = await ReplicationAsync(server);
        if (!was.IsPrimary)
        {
            return;
        }
        var keys = await server.DatabaseSizeAsync();
        await server.ReplicaOfAsync(primary);
        var detail = $"{server.EndPoint} came back a primary with {keys} keys at offset {was.Offset} while {active.Name} is active; now a replica of "
            + $"{primary}: resynced, what it held of its own is discarded{await SaveRolesAsync(server)}";
        audit.Record(new FailoverAuditEntry(time.GetUtcNow(), FenceAuditKey, "fence", "fence redis", datacenter.Name, active.Name, detail));
        Log.Fenced(logger, datacenter.Name, detail);
    }

    private async Task<DatacenterSwitchReport> RunAsync(string kind, string to, string who, Func<SwitchRun, Task<DatacenterSwitchReport>> steps,
        CancellationToken cancellationToken)
    {
        // Long enough to wait out a re-assertion of the write modes, not another switch.
        if (!await _one.WaitAsync(TimeSpan.FromSeconds(3), cancellationToken))
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, "another switchover or failover is running; GET /v1/dc shows the last one");
        }
        var before = _state ?? new FailoverState(FailoverState.Idle, Active, null, null, time.GetUtcNow(), null, null);
        await SaveAsync(before with { State = FailoverState.Running(kind), Active = Active, Target = to, Step = null, Since = time.GetUtcNow() });
        var run = new SwitchRun(kind, Active, to, who, time, audit, step => SaveAsync(_state! with { Step = step }));
        try
        {
            // Idempotent: asking again for where visitors already are changes nothing (and needs no datacenter to answer).
            var report = run.From == Datacenter(run.To).Name ? await NothingToDoAsync(run) : await steps(run);
            // The failback returns to where the last switch came from: it stays the place to return to.
            var left = kind != "failback" && run.From != Active ? run.From : before.PreviousActive;
            await SaveAsync(new FailoverState(FailoverState.Idle, Active, null, null, time.GetUtcNow(), left, report));
            return report;
        }
        catch (SwitchRefusedException e)
        {
            await run.RecordAsync("refused", e.Message);
            await SaveAsync(before with { Active = Active, Since = time.GetUtcNow(), Last = run.Report($"refused: {e.Message}", behind: null) });
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    private static async Task<DatacenterSwitchReport> NothingToDoAsync(SwitchRun run)
    {
        await run.RecordAsync("check", $"{run.To} is already active");
        return run.Report("already active: nothing to do", behind: 0);
    }

    private async Task<DatacenterSwitchReport> FailoverAsync(SwitchRun run, bool force, CancellationToken cancellationToken)
    {
        var source = Datacenter(run.From);
        var target = Datacenter(run.To);
        if (target.Redis.Length == 0)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, $"a failover needs {target.Name}'s Redis (Control:Datacenters:N:Redis), to promote it");
        }
        var health = monitor.Snapshot.Datacenters.ToDictionary(d => d.Name);
        if (health[target.Name].ControlView != "up" && !force)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                $"{target.Name} is {health[target.Name].ControlView} ({health[target.Name].Reason}); fail over to it anyway with force");
        }
        await run.RecordAsync("check", $"{target.Name} is {health[target.Name].ControlView}, {source.Name} is {health[source.Name].ControlView}");

        // Fencing is best effort: the datacenter being left is usually the one that does not answer. It is bounded by the
        // gateway client's 2 s timeout, or by one probe interval when the monitor sees the datacenter down: a stalled one
        // (paused, its network black-holed) accepts the connection and answers nothing, and this wait comes before the
        // promotion, inside the outage. A gateway that is only unhealthy (its nodes lost Redis) still answers in time.
        await SetWritesAsync(run, "fence writes", source, new GatewayWriteMode("hold"), CancellationToken.None, reopenOnFailure: false,
            within: health[source.Name].ControlView == "down" ? _failover.ProbeInterval : null);

        using var targetRedis = await ConnectAsync(target.Redis, required: true);
        var targetServer = targetRedis!.GetServer(Endpoint(target));
        // A Redis the monitor already sees down is not asked again: a connect to it waits the whole connect timeout
        // (a second by default), which every visitor's write would wait too.
        var sourceRedisDown = health[source.Name].Redis?.State == "down";
        using var sourceRedis = source.Redis.Length > 0 && !sourceRedisDown ? await ConnectAsync(source.Redis, required: false) : null;
        var sourceServer = sourceRedis?.GetServer(Endpoint(source));
        var primaryOffset = health[source.Name].ReplicationOffset ?? 0;
        if (sourceServer is not null)
        {
            // The old primary still answers: let the replica take what it can of it, within the catch-up limit.
            try
            {
                await WaitForReplicaAsync(run, "catch up", sourceServer, targetServer, _failover.CatchUpMilliseconds, StatusCodes.Status409Conflict,
                    cancellationToken);
            }
            catch (Exception e) when (e is SwitchRefusedException or RedisException)
            {
                await run.RecordAsync("catch up", $"gave up: {e.Message}");
            }
            primaryOffset = Math.Max(primaryOffset, (await TryReplicationAsync(sourceServer))?.Offset ?? 0);
        }
        var replica = await ReplicationAsync(targetServer);
        var behind = replica.IsPrimary ? 0 : Math.Max(0, primaryOffset - replica.Offset);
        await run.RecordAsync("assess", replica.IsPrimary
            ? $"{target.Name}'s Redis is a primary already"
            : $"replica at offset {replica.Offset}, primary last seen at {primaryOffset}: {behind} bytes may be lost");

        if (!replica.IsPrimary)
        {
            await targetServer.MakePrimaryAsync(ReplicationChangeOptions.None).WaitAsync(cancellationToken);
            if (!(await ReplicationAsync(targetServer)).IsPrimary)
            {
                throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"{targetServer.EndPoint} did not become primary");
            }
        }
        await run.RecordAsync("promote", $"{targetServer.EndPoint} is primary{await SaveRolesAsync(targetServer)}");
        if (sourceServer is not null)
        {
            // Two primaries would take writes apart; the old one follows the new one from here.
            try
            {
                await sourceServer.ReplicaOfAsync(targetServer.EndPoint);
                await run.RecordAsync("fence redis", $"{sourceServer.EndPoint} is a replica of {targetServer.EndPoint}{await SaveRolesAsync(sourceServer)}");
            }
            catch (RedisException e)
            {
                await run.RecordAsync("fence redis", $"failed: {e.Message}; make it a replica of {targetServer.EndPoint} before it serves again");
            }
        }
        else
        {
            await run.RecordAsync("fence redis", $"{source.Name}'s Redis is {(sourceRedisDown ? "down at the last probes" : "unreachable")}; make it a replica of {targetServer.EndPoint} before it serves again ("
                + (_failover.FenceReturningPrimaries ? "fenced when it answers again" : "failback does") + ")");
        }
        await FinishAsync(run, source, target);
        return run.Report("done", behind);
    }

    private async Task<DatacenterSwitchReport> SwitchoverAsync(SwitchRun run, bool force, CancellationToken cancellationToken)
    {
        var source = Datacenter(run.From);
        var target = Datacenter(run.To);
        RequireBothRedis(source, target, "a switchover", "to promote one and wait for its replica");
        await CheckBothUpAsync(run, source, target, force);

        using var redis = await ConnectAsync(source, target);
        var sourceServer = redis.GetServer(Endpoint(source));
        var targetServer = redis.GetServer(Endpoint(target));

        await SetWritesAsync(run, "hold writes", source, new GatewayWriteMode("hold"), cancellationToken, reopenOnFailure: true);
        try
        {
            await WaitForWritesAsync(run, source, cancellationToken);
            if (await IsReplicaOfAsync(sourceServer, targetServer.EndPoint))
            {
                // A switch that stopped after its promotion (the control plane restarted): the same command finishes it.
                await run.RecordAsync("promote", $"{targetServer.EndPoint} is primary already, {sourceServer.EndPoint} its replica"
                    + await SaveRolesAsync(targetServer, sourceServer));
            }
            else
            {
                await WaitForReplicaAsync(run, "catch up", sourceServer, targetServer, _failover.CatchUpMilliseconds, StatusCodes.Status409Conflict, cancellationToken);
                await PromoteAsync(run, targetServer, sourceServer, cancellationToken);
            }
        }
        catch (Exception e) when (e is SwitchRefusedException or RedisException or TimeoutException)
        {
            // Nothing has moved yet: writes go on where they were.
            await SetWritesAsync(run, "reopen writes", source, new GatewayWriteMode("open"), CancellationToken.None, reopenOnFailure: false);
            throw e as SwitchRefusedException ?? new SwitchRefusedException(StatusCodes.Status502BadGateway, e.Message);
        }

        await FinishAsync(run, source, target);
        return run.Report("done", behind: 0);
    }

    private async Task<DatacenterSwitchReport> FailbackAsync(SwitchRun run, bool force, CancellationToken cancellationToken)
    {
        var source = Datacenter(run.From);
        var target = Datacenter(run.To);
        RequireBothRedis(source, target, "a failback", "to resync one from the other");
        using var targetRedis = await ConnectAsync(target.Redis, required: false) ?? throw new SwitchRefusedException(StatusCodes.Status409Conflict,
            $"{target.Name}'s Redis at {target.Redis} does not answer: start it again, then fail back (it is resynced from {source.Name}'s)");
        using var sourceRedis = await ConnectAsync(source.Redis, required: false) ?? throw new SwitchRefusedException(StatusCodes.Status409Conflict,
            $"{source.Name}'s Redis at {source.Redis} does not answer: there is nothing to resync {target.Name} from");
        await CheckBothUpAsync(run, source, target, force);
        var sourceServer = sourceRedis.GetServer(Endpoint(source));
        var targetServer = targetRedis.GetServer(Endpoint(target));

        if (await IsReplicaOfAsync(targetServer, sourceServer.EndPoint))
        {
            await run.RecordAsync("resync", $"{targetServer.EndPoint} is a replica of {sourceServer.EndPoint} already");
        }
        else
        {
            // A primary that came back after a kill may hold writes of its own: the full resync replaces them.
            var was = await ReplicationAsync(targetServer);
            var keys = await targetServer.DatabaseSizeAsync();
            await targetServer.ReplicaOfAsync(sourceServer.EndPoint);
            await run.RecordAsync("resync", $"{targetServer.EndPoint} was a {(was.IsPrimary ? "primary" : "replica elsewhere")} with {keys} keys at offset "
                + $"{was.Offset}; now a replica of {sourceServer.EndPoint}: resynced, what it held of its own is discarded{await SaveRolesAsync(targetServer)}");
        }
        await WaitForReplicaAsync(run, "in sync", sourceServer, targetServer, _failover.ResyncMilliseconds, StatusCodes.Status504GatewayTimeout, cancellationToken);
        return await SwitchoverAsync(run, force, cancellationToken);
    }

    private static void RequireBothRedis(ControlDatacenterOptions source, ControlDatacenterOptions target, string what, string why)
    {
        if (source.Redis.Length == 0 || target.Redis.Length == 0)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, $"{what} needs the Redis of both datacenters (Control:Datacenters:N:Redis), {why}");
        }
    }

    private async Task CheckBothUpAsync(SwitchRun run, ControlDatacenterOptions source, ControlDatacenterOptions target, bool force)
    {
        var health = monitor.Snapshot.Datacenters.ToDictionary(d => d.Name);
        if (health[target.Name].ControlView != "up" && !force)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                $"{target.Name} is {health[target.Name].ControlView} ({health[target.Name].Reason}); switch to it anyway with force");
        }
        if (health[source.Name].ControlView != "up")
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                $"{source.Name} is {health[source.Name].ControlView}: a {run.Kind} needs both datacenters up; use a failover");
        }
        await run.RecordAsync("check", $"{target.Name} is {health[target.Name].ControlView}, {source.Name} is up");
    }

    private static async Task<bool> IsReplicaOfAsync(IServer server, System.Net.EndPoint primary) =>
        await server.RoleAsync() is Role.Replica replica && primary is System.Net.IPEndPoint ip
            && replica.MasterPort == ip.Port && System.Net.IPAddress.TryParse(replica.MasterIp, out var address) && address.Equals(ip.Address);

    // Past the promotion there is no way back but another switch: the steps below are retried by no one, so a
    // gateway that misses one is reported (and set again by the next switch), not a reason to stop.
    private async Task FinishAsync(SwitchRun run, ControlDatacenterOptions source, ControlDatacenterOptions target)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(_failover.RoleSettleMilliseconds), time, CancellationToken.None);
        await run.RecordAsync("settle", $"waited {_failover.RoleSettleMilliseconds} ms for the origin nodes to see their roles");
        await RepointAsync(run, target.Name);
        await SetWritesAsync(run, "open target", target, new GatewayWriteMode("open"), CancellationToken.None, reopenOnFailure: false);
        await SetWritesAsync(run, "forward writes", source, new GatewayWriteMode("forward", target.Gateways), CancellationToken.None, reopenOnFailure: false);
        Log.Switched(logger, run.Kind, run.From, run.To, run.Who);
    }

    private async Task SetWritesAsync(SwitchRun run, string step, ControlDatacenterOptions datacenter, GatewayWriteMode mode, CancellationToken cancellationToken,
        bool reopenOnFailure, TimeSpan? within = null)
    {
        var answers = await Task.WhenAll(datacenter.Gateways.Select(g => gateways.PutWritesAsync(g, mode, cancellationToken, within)));
        var failed = answers.Where(a => a.Error is not null).ToList();
        var detail = failed.Count == 0
            ? $"{datacenter.Name}'s {answers.Length} gateways: {mode.Mode}{(mode.ForwardTo is { } to ? " to " + string.Join(", ", to) : "")}"
            : $"{datacenter.Name}: {string.Join("; ", failed.Select(f => $"{f.Gateway}: {f.Error}"))}";
        await run.RecordAsync(step, detail);
        if (failed.Count > 0 && reopenOnFailure)
        {
            await SetWritesAsync(run, "reopen writes", datacenter, new GatewayWriteMode("open"), CancellationToken.None, reopenOnFailure: false);
            throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"could not hold writes at {detail}");
        }
    }

    // Writes that were already past the hold when it began: the replica must have them too.
    private async Task WaitForWritesAsync(SwitchRun run, ControlDatacenterOptions source, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromMilliseconds(_failover.WriteDrainMilliseconds);
        var started = time.GetTimestamp();
        while (true)
        {
            var states = await Task.WhenAll(source.Gateways.Select(g => gateways.ReadWritesAsync(g, cancellationToken)));
            var inFlight = states.Sum(s => s.InFlight);
            if (states.All(s => s.Error is null) && inFlight == 0)
            {
                await run.RecordAsync("drain writes", $"no write in flight at {source.Name}; {states.Sum(s => s.Held)} held");
                return;
            }
            if (time.GetElapsedTime(started) > limit)
            {
                throw new SwitchRefusedException(StatusCodes.Status409Conflict, states.FirstOrDefault(s => s.Error is not null) is { } failed
                    ? $"gateway {failed.Gateway} cannot say what is in flight: {failed.Error}"
                    : $"{inFlight} writes still in flight at {source.Name} after {limit.TotalMilliseconds:0} ms");
            }
            await Task.Delay(PollEvery, time, cancellationToken);
        }
    }

    // Until the target's replica has the primary's stream as far as it was when the wait began; then the step is recorded.
    private async Task WaitForReplicaAsync(SwitchRun run, string step, IServer source, IServer target, int milliseconds, int statusWhenLate,
        CancellationToken cancellationToken)
    {
        var primary = await ReplicationAsync(source);
        if (!primary.IsPrimary)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, $"{source.EndPoint} is not a primary (role {primary.Role})");
        }
        var limit = TimeSpan.FromMilliseconds(milliseconds);
        var started = time.GetTimestamp();
        while (true)
        {
            var replica = await ReplicationAsync(target);
            if (!replica.IsPrimary && replica.LinkUp == true && replica.Offset >= primary.Offset)
            {
                await run.RecordAsync(step, $"replica at offset {replica.Offset}, primary at {primary.Offset}");
                return;
            }
            if (time.GetElapsedTime(started) > limit)
            {
                throw new SwitchRefusedException(statusWhenLate, replica.IsPrimary
                    ? $"{target.EndPoint} is a primary already, not a replica of {source.EndPoint}"
                    : $"the replica is {primary.Offset - replica.Offset} bytes behind after {limit.TotalMilliseconds:0} ms (link {(replica.LinkUp == true ? "up" : "down")})");
            }
            await Task.Delay(PollEvery, time, cancellationToken);
        }
    }

    private static async Task PromoteAsync(SwitchRun run, IServer target, IServer source, CancellationToken cancellationToken)
    {
        // REPLICAOF NO ONE on the target and REPLICAOF target on the old primary: it keeps serving reads and catches
        // up from the new primary, ready for the way back.
        await target.MakePrimaryAsync(ReplicationChangeOptions.ReplicateToOtherEndpoints).WaitAsync(cancellationToken);
        var promoted = await ReplicationAsync(target);
        if (!promoted.IsPrimary)
        {
            throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"{target.EndPoint} is still {promoted.Role} after the promotion");
        }
        await run.RecordAsync("promote", $"{target.EndPoint} is primary{await SaveRolesAsync(target, source)}");
    }

    /// <summary>
    /// Writes each server's new role into its configuration file (<c>CONFIG REWRITE</c>), for the step's message. A
    /// role set by command lasts only until the server restarts, which then takes the role its file or command line
    /// gives: saved, a promoted DR stays primary and a fenced primary stays a replica across a restart
    /// (docker-compose.yml starts Redis from a file on its volume). A server started without a file (cdnctl up)
    /// cannot save it; the message says so and the switch goes on.
    /// </summary>
    private static async Task<string> SaveRolesAsync(params IServer[] servers)
    {
        var unsaved = new List<string>();
        foreach (var server in servers)
        {
            try
            {
                await server.ConfigRewriteAsync();
            }
            catch (RedisException e)
            {
                unsaved.Add($"{server.EndPoint} ({e.Message})");
            }
        }
        return unsaved.Count == 0
            ? $"; saved in {(servers.Length == 1 ? "its configuration file" : "their configuration files")}"
            : $"; not saved for {string.Join(", ", unsaved)}: a restart gives it the role of its command line";
    }

    private async Task RepointAsync(SwitchRun run, string datacenter)
    {
        // Saved with the step below: from here a restarted control plane sends visitors to the target.
        _state = _state! with { Active = datacenter };
        if (options.Dns.Port == 0)
        {
            await run.RecordAsync("repoint", $"{datacenter} is active (this control plane serves no DNS: point origin. at it yourself)");
            return;
        }
        var before = dns.SetActiveDatacenter(datacenter);
        var published = dns.Current!;
        audit.Record(new DnsAuditEntry(time.GetUtcNow(), run.Who, "active-datacenter", [.. published.Zones.Select(z => z.Origin.ToString())], before, datacenter,
            published.Serial));
        await run.RecordAsync("repoint", $"origin. → {datacenter}'s gateways, serial {published.Serial}");
    }

    private ControlDatacenterOptions Datacenter(string name) => options.Datacenters.FirstOrDefault(d => d.Name == name)
        ?? throw new SwitchRefusedException(StatusCodes.Status400BadRequest,
            $"datacenter must be one of {string.Join(", ", options.Datacenters.Select(d => $"'{d.Name}'"))}");

    private static async Task<RedisReplication?> TryReplicationAsync(IServer server)
    {
        try
        {
            return await ReplicationAsync(server);
        }
        catch (Exception e) when (e is RedisException or SwitchRefusedException)
        {
            return null;
        }
    }

    // One datacenter's Redis alone, admin commands allowed; null (or, when required, a refusal) if it does not answer.
    private async Task<ConnectionMultiplexer?> ConnectAsync(string redis, bool required)
    {
        var configuration = RedisConnectionOptions.Parse(redis);
        configuration.AllowAdmin = true;
        configuration.ConnectTimeout = Math.Max(options.Failover.ProbeMilliseconds * 2, 200);
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        if (connection.GetServer(configuration.EndPoints[0]).IsConnected)
        {
            return connection;
        }
        connection.Dispose();
        return required ? throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"cannot reach Redis at {redis}") : null;
    }

    private static async Task<RedisReplication> ReplicationAsync(IServer server) =>
        RedisReplication.Parse((await server.InfoAsync("replication")).SelectMany(s => s))
            ?? throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"{server.EndPoint} did not say its role");

    private static System.Net.EndPoint Endpoint(ControlDatacenterOptions datacenter) => RedisConnectionOptions.Parse(datacenter.Redis).EndPoints[0];

    // One connection that knows both servers, as MakePrimaryAsync needs to make the others replicas of the new primary.
    private static async Task<ConnectionMultiplexer> ConnectAsync(ControlDatacenterOptions source, ControlDatacenterOptions target)
    {
        var configuration = RedisConnectionOptions.Parse(source.Redis);
        configuration.EndPoints.Add(Endpoint(target));
        configuration.AllowAdmin = true;
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        foreach (var endpoint in configuration.EndPoints)
        {
            if (!connection.GetServer(endpoint).IsConnected)
            {
                connection.Dispose();
                throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"cannot reach Redis at {endpoint}");
            }
        }
        return connection;
    }

    // A switch goes on when its state cannot be saved: the state is kept here, and saved again with the next step.
    private async Task SaveAsync(FailoverState state)
    {
        _state = state;
        try
        {
            await store.SaveAsync(state, CancellationToken.None);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.StateNotSaved(logger, state.State, state.Step ?? "", e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Kind} from {From} to {To} done, asked by {Who}")]
        public static partial void Switched(ILogger logger, string kind, string from, string to, string who);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Cannot read the failover state, starting from the configured datacenter: {Error}")]
        public static partial void StateUnreadable(ILogger logger, string error);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Cannot save the failover state ({State}, step {Step}); the switch goes on: {Error}")]
        public static partial void StateNotSaved(ILogger logger, string state, string step, string error);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Fenced {Datacenter}'s Redis: {Detail}")]
        public static partial void Fenced(ILogger logger, string datacenter, string detail);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Cannot fence a datacenter's Redis that came back a primary; trying again: {Error}")]
        public static partial void FenceFailed(ILogger logger, string error);
    }
}
