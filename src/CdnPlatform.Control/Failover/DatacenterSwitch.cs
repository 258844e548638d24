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
/// One switch at a time; every step is an audit line.
/// </summary>
public sealed partial class DatacenterSwitch(ControlOptions options, SiteDnsService dns, DatacenterMonitor monitor, GatewayClient gateways,
    AuditLog audit, TimeProvider time, ILogger<DatacenterSwitch> logger)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ControlFailoverOptions _failover = options.Failover;
    private string _active = options.Dns.ActiveDatacenter.Length > 0 ? options.Dns.ActiveDatacenter : options.Datacenters.FirstOrDefault()?.Name ?? "";

    /// <summary>The datacenter visitors are sent to: where <c>origin.</c> points when the control plane serves DNS.</summary>
    public string Active => dns.ActiveDatacenter ?? _active;

    /// <summary>The last switch that was asked for, done or refused; null before the first.</summary>
    public DatacenterSwitchReport? Last { get; private set; }

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

    private async Task<DatacenterSwitchReport> RunAsync(string kind, string to, string who, Func<SwitchRun, Task<DatacenterSwitchReport>> steps,
        CancellationToken cancellationToken)
    {
        // Long enough to wait out a re-assertion of the write modes, not another switch.
        if (!await _one.WaitAsync(TimeSpan.FromSeconds(3), cancellationToken))
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, "another switchover or failover is running; GET /v1/dc shows the last one");
        }
        var run = new SwitchRun(kind, Active, to, who, time, audit);
        try
        {
            Last = await steps(run);
            return Last;
        }
        catch (SwitchRefusedException e)
        {
            Last = run.Report($"refused: {e.Message}", behind: null);
            run.Record("refused", e.Message);
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<DatacenterSwitchReport> FailoverAsync(SwitchRun run, bool force, CancellationToken cancellationToken)
    {
        var source = Datacenter(run.From);
        var target = Datacenter(run.To);
        if (source.Name == target.Name)
        {
            run.Record("check", $"{target.Name} is already active");
            return run.Report("already active: nothing to do", behind: 0);
        }
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
        run.Record("check", $"{target.Name} is {health[target.Name].ControlView}, {source.Name} is {health[source.Name].ControlView}");

        // Fencing is best effort, bounded by the gateway client's 2 s timeout: the datacenter being left is usually
        // the one that does not answer.
        await SetWritesAsync(run, "fence writes", source, new GatewayWriteMode("hold"), CancellationToken.None, reopenOnFailure: false);

        using var targetRedis = await ConnectAsync(target.Redis, required: true);
        var targetServer = targetRedis!.GetServer(Endpoint(target));
        using var sourceRedis = source.Redis.Length > 0 ? await ConnectAsync(source.Redis, required: false) : null;
        var sourceServer = sourceRedis?.GetServer(Endpoint(source));
        var primaryOffset = health[source.Name].ReplicationOffset ?? 0;
        if (sourceServer is not null)
        {
            // The old primary still answers: let the replica take what it can of it, within the catch-up limit.
            try
            {
                await WaitForReplicaAsync(run, sourceServer, targetServer, cancellationToken);
            }
            catch (Exception e) when (e is SwitchRefusedException or RedisException)
            {
                run.Record("catch up", $"gave up: {e.Message}");
            }
            primaryOffset = Math.Max(primaryOffset, (await TryReplicationAsync(sourceServer))?.Offset ?? 0);
        }
        var replica = await ReplicationAsync(targetServer);
        var behind = replica.IsPrimary ? 0 : Math.Max(0, primaryOffset - replica.Offset);
        run.Record("assess", replica.IsPrimary
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
        run.Record("promote", $"{targetServer.EndPoint} is primary");
        if (sourceServer is not null)
        {
            // Two primaries would take writes apart; the old one follows the new one from here.
            try
            {
                await sourceServer.ReplicaOfAsync(targetServer.EndPoint);
                run.Record("fence redis", $"{sourceServer.EndPoint} is a replica of {targetServer.EndPoint}");
            }
            catch (RedisException e)
            {
                run.Record("fence redis", $"failed: {e.Message}; make it a replica of {targetServer.EndPoint} before it serves again");
            }
        }
        else
        {
            run.Record("fence redis", $"{source.Name}'s Redis is unreachable; make it a replica of {targetServer.EndPoint} before it serves again (failback does)");
        }
        await FinishAsync(run, source, target);
        return run.Report("done", behind);
    }

    private async Task<DatacenterSwitchReport> SwitchoverAsync(SwitchRun run, bool force, CancellationToken cancellationToken)
    {
        var source = Datacenter(run.From);
        var target = Datacenter(run.To);
        if (source.Name == target.Name)
        {
            run.Record("check", $"{target.Name} is already active");
            return run.Report("already active: nothing to do", behind: 0);
        }
        if (source.Redis.Length == 0 || target.Redis.Length == 0)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                "a switchover needs the Redis of both datacenters (Control:Datacenters:N:Redis), to promote one and wait for its replica");
        }
        var health = monitor.Snapshot.Datacenters.ToDictionary(d => d.Name);
        if (health[target.Name].ControlView != "up" && !force)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                $"{target.Name} is {health[target.Name].ControlView} ({health[target.Name].Reason}); switch to it anyway with force");
        }
        if (health[source.Name].ControlView != "up")
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict,
                $"{source.Name} is {health[source.Name].ControlView}: a switchover needs both datacenters up; use a failover");
        }
        run.Record("check", $"{target.Name} is {health[target.Name].ControlView}, {source.Name} is up");

        using var redis = await ConnectAsync(source, target);
        var sourceServer = redis.GetServer(Endpoint(source));
        var targetServer = redis.GetServer(Endpoint(target));

        await SetWritesAsync(run, "hold writes", source, new GatewayWriteMode("hold"), cancellationToken, reopenOnFailure: true);
        try
        {
            await WaitForWritesAsync(run, source, cancellationToken);
            await WaitForReplicaAsync(run, sourceServer, targetServer, cancellationToken);
            await PromoteAsync(run, targetServer, cancellationToken);
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

    // Past the promotion there is no way back but another switch: the steps below are retried by no one, so a
    // gateway that misses one is reported (and set again by the next switch), not a reason to stop.
    private async Task FinishAsync(SwitchRun run, ControlDatacenterOptions source, ControlDatacenterOptions target)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(_failover.RoleSettleMilliseconds), time, CancellationToken.None);
        run.Record("settle", $"waited {_failover.RoleSettleMilliseconds} ms for the origin nodes to see their roles");
        Repoint(run, target.Name);
        await SetWritesAsync(run, "open target", target, new GatewayWriteMode("open"), CancellationToken.None, reopenOnFailure: false);
        await SetWritesAsync(run, "forward writes", source, new GatewayWriteMode("forward", target.Gateways), CancellationToken.None, reopenOnFailure: false);
        Log.Switched(logger, run.Kind, run.From, run.To, run.Who);
    }

    private async Task SetWritesAsync(SwitchRun run, string step, ControlDatacenterOptions datacenter, GatewayWriteMode mode, CancellationToken cancellationToken,
        bool reopenOnFailure)
    {
        var answers = await Task.WhenAll(datacenter.Gateways.Select(g => gateways.PutWritesAsync(g, mode, cancellationToken)));
        var failed = answers.Where(a => a.Error is not null).ToList();
        var detail = failed.Count == 0
            ? $"{datacenter.Name}'s {answers.Length} gateways: {mode.Mode}{(mode.ForwardTo is { } to ? " to " + string.Join(", ", to) : "")}"
            : $"{datacenter.Name}: {string.Join("; ", failed.Select(f => $"{f.Gateway}: {f.Error}"))}";
        run.Record(step, detail);
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
                run.Record("drain writes", $"no write in flight at {source.Name}; {states.Sum(s => s.Held)} held");
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

    private async Task WaitForReplicaAsync(SwitchRun run, IServer source, IServer target, CancellationToken cancellationToken)
    {
        var primary = await ReplicationAsync(source);
        if (!primary.IsPrimary)
        {
            throw new SwitchRefusedException(StatusCodes.Status409Conflict, $"{source.EndPoint} is not a primary (role {primary.Role})");
        }
        var limit = TimeSpan.FromMilliseconds(_failover.CatchUpMilliseconds);
        var started = time.GetTimestamp();
        while (true)
        {
            var replica = await ReplicationAsync(target);
            if (!replica.IsPrimary && replica.LinkUp == true && replica.Offset >= primary.Offset)
            {
                run.Record("catch up", $"replica at offset {replica.Offset}, primary at {primary.Offset}");
                return;
            }
            if (time.GetElapsedTime(started) > limit)
            {
                throw new SwitchRefusedException(StatusCodes.Status409Conflict, replica.IsPrimary
                    ? $"{target.EndPoint} is a primary already, not a replica of {source.EndPoint}"
                    : $"the replica is {primary.Offset - replica.Offset} bytes behind after {limit.TotalMilliseconds:0} ms (link {(replica.LinkUp == true ? "up" : "down")})");
            }
            await Task.Delay(PollEvery, time, cancellationToken);
        }
    }

    private static async Task PromoteAsync(SwitchRun run, IServer target, CancellationToken cancellationToken)
    {
        // REPLICAOF NO ONE on the target and REPLICAOF target on the old primary: it keeps serving reads and catches
        // up from the new primary, ready for the way back.
        await target.MakePrimaryAsync(ReplicationChangeOptions.ReplicateToOtherEndpoints).WaitAsync(cancellationToken);
        var promoted = await ReplicationAsync(target);
        if (!promoted.IsPrimary)
        {
            throw new SwitchRefusedException(StatusCodes.Status502BadGateway, $"{target.EndPoint} is still {promoted.Role} after the promotion");
        }
        run.Record("promote", $"{target.EndPoint} is primary");
    }

    private void Repoint(SwitchRun run, string datacenter)
    {
        if (options.Dns.Port == 0)
        {
            _active = datacenter;
            run.Record("repoint", $"{datacenter} is active (this control plane serves no DNS: point origin. at it yourself)");
            return;
        }
        var before = dns.SetActiveDatacenter(datacenter);
        var published = dns.Current!;
        audit.Record(new DnsAuditEntry(time.GetUtcNow(), run.Who, "active-datacenter", [.. published.Zones.Select(z => z.Origin.ToString())], before, datacenter,
            published.Serial));
        run.Record("repoint", $"origin. → {datacenter}'s gateways, serial {published.Serial}");
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Kind} from {From} to {To} done, asked by {Who}")]
        public static partial void Switched(ILogger logger, string kind, string from, string to, string who);
    }
}
