using CdnPlatform.Client;
using CdnPlatform.LoadTest.Recording;
using CdnPlatform.LoadTest.Scenarios;

namespace CdnPlatform.LoadTest.Events;

/// <summary>
/// The active datacenter's loss under load, through the control API: kill it at <see cref="DatacenterDrill.KillAt"/>, wait
/// for the automatic failover (or ask for one), start it <see cref="DatacenterDrill.RestartAfter"/> after the kill and fail
/// back. Each step is an event (<c>dc-kill</c>, <c>failover</c>, <c>dc-start</c>, <c>failback</c>; <c>drill-error</c> when
/// one fails). If the load ends first, the datacenter is still started and failed back to: a drill leaves the network as it
/// found it. A standby's loss (<see cref="DatacenterDrill.Standby"/>) marks <c>dc-kill</c>, <c>dc-down</c> (the control
/// plane's probes see it), <c>dc-start</c> and <c>caught-up</c> (its Redis has the active one's writes) instead. A pause
/// (<see cref="DatacenterDrill.Fault"/>) marks <c>dc-pause</c> and <c>dc-resume</c> where a kill marks <c>dc-kill</c> and
/// <c>dc-start</c>.
/// </summary>
public sealed class DatacenterDrillEvent(DatacenterDrill drill, DatacenterApi api, TimeProvider time) : ILoadEvent
{
    private static readonly TimeSpan SwitchTimeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync(LoadRecorder recorder, CancellationToken stop)
    {
        if (!await WaitUntilAsync(recorder, drill.KillAt, stop))
        {
            return;
        }
        string killed;
        string? tookOver;
        try
        {
            var before = await api.StatusAsync(CancellationToken.None);
            if (drill.Standby)
            {
                await StandbyLossAsync(before.Datacenters.FirstOrDefault(d => d.Name != before.Active)?.Name, recorder, stop);
                return;
            }
            killed = before.Active;
            tookOver = before.Datacenters.FirstOrDefault(d => d.Name != killed && d.ControlView == "up")?.Name;
            if (tookOver is null)
            {
                recorder.Mark("drill-error", $"no datacenter other than {killed} is up to take over; nothing {StopVerb}");
                return;
            }
            var killAt = recorder.Elapsed;
            await StopAsync(killed);
            recorder.Mark(StopKind, Stopped(killed), at: killAt);
            if (drill.Manual)
            {
                await api.FailoverAsync(tookOver, false, CancellationToken.None);
            }
            var switched = await api.WaitActiveAsync(tookOver, SwitchTimeout, time, CancellationToken.None);
            recorder.Mark(switched is null ? "drill-error" : "failover",
                switched is null ? $"{tookOver} not active {SwitchTimeout.TotalSeconds:0}s after the {StopNoun}" : $"{tookOver} active ({(drill.Manual ? "by hand" : "automatic")})",
                (recorder.Elapsed - killAt).TotalSeconds);

            await WaitUntilAsync(recorder, killAt + drill.RestartAfter, stop);
            var startAt = recorder.Elapsed;
            await BringBackAsync(killed);
            recorder.Mark(BackKind, Back(killed), (recorder.Elapsed - startAt).TotalSeconds, startAt);
            if (await api.WaitUpAsync(killed, SwitchTimeout, time, CancellationToken.None) is { } reason)
            {
                recorder.Mark("drill-error", $"{Back(killed)} but not seen up: {reason}; no failback");
                return;
            }
            var failbackAt = recorder.Elapsed;
            await api.FailbackAsync(killed, false, CancellationToken.None);
            var back = await api.WaitActiveAsync(killed, SwitchTimeout, time, CancellationToken.None);
            recorder.Mark(back is null ? "drill-error" : "failback", back is null ? $"{killed} not active after the failback" : $"{killed} active again",
                (recorder.Elapsed - failbackAt).TotalSeconds, failbackAt);
        }
        catch (Exception e) when (e is ControlApiException or HttpRequestException or TaskCanceledException)
        {
            recorder.Mark("drill-error", $"the control plane: {e.Message}");
        }
    }

    private async Task StandbyLossAsync(string? standby, LoadRecorder recorder, CancellationToken stop)
    {
        if (standby is null)
        {
            recorder.Mark("drill-error", $"there is no datacenter but the active one; nothing {StopVerb}");
            return;
        }
        var killAt = recorder.Elapsed;
        await StopAsync(standby);
        recorder.Mark(StopKind, $"{Stopped(standby)}; a standby, nothing switches", at: killAt);
        var down = await api.WaitDownAsync(standby, SwitchTimeout, time, CancellationToken.None);
        recorder.Mark(down is null ? "drill-error" : "dc-down", down is null ? $"{standby} not seen down {SwitchTimeout.TotalSeconds:0}s after the {StopNoun}" : $"{standby} seen down",
            (recorder.Elapsed - killAt).TotalSeconds);

        await WaitUntilAsync(recorder, killAt + drill.RestartAfter, stop);
        var startAt = recorder.Elapsed;
        await BringBackAsync(standby);
        recorder.Mark(BackKind, Back(standby), (recorder.Elapsed - startAt).TotalSeconds, startAt);
        var caughtUp = await api.WaitCaughtUpAsync(standby, SwitchTimeout, time, CancellationToken.None);
        recorder.Mark(caughtUp is null ? "drill-error" : "caught-up",
            caughtUp is null ? $"{standby}'s Redis did not catch up {SwitchTimeout.TotalSeconds:0}s after it was {BackVerb}" : $"{standby}'s Redis caught up",
            (recorder.Elapsed - startAt).TotalSeconds);
    }

    private bool Kills => drill.Fault == DatacenterFault.Kill;

    private string StopKind => Kills ? "dc-kill" : "dc-pause";

    private string BackKind => Kills ? "dc-start" : "dc-resume";

    private string StopNoun => Kills ? "kill" : "pause";

    private string StopVerb => Kills ? "killed" : "paused";

    private string BackVerb => Kills ? "started" : "resumed";

    private string Stopped(string datacenter) => drill.Fault switch
    {
        DatacenterFault.Kill => $"{datacenter} killed (gateways, nodes, Redis)",
        DatacenterFault.Pause => $"{datacenter} paused (gateways, nodes, Redis)",
        _ => $"{datacenter}'s Redis paused",
    };

    private string Back(string datacenter) => drill.Fault switch
    {
        DatacenterFault.Kill => $"{datacenter} started",
        DatacenterFault.Pause => $"{datacenter} resumed",
        _ => $"{datacenter}'s Redis resumed",
    };

    private Task StopAsync(string datacenter) => Kills
        ? api.KillAsync(datacenter, CancellationToken.None)
        : api.PauseAsync(datacenter, redisOnly: drill.Fault == DatacenterFault.PauseRedis, CancellationToken.None);

    private Task BringBackAsync(string datacenter) => Kills
        ? api.StartAsync(datacenter, CancellationToken.None)
        : api.ResumeAsync(datacenter, CancellationToken.None);

    /// <summary>Waits until <paramref name="at"/> on the load's clock; false when the load ended first.</summary>
    private async Task<bool> WaitUntilAsync(LoadRecorder recorder, TimeSpan at, CancellationToken stop)
    {
        var left = at - recorder.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            return !stop.IsCancellationRequested;
        }
        try
        {
            await Task.Delay(left, time, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
