using CdnPlatform.Control.Api;
using CdnPlatform.Control.Failover;

namespace CdnPlatform.Control.Tests.Failover;

/// <summary>
/// What every <see cref="IFailoverStateStore"/> must do, run once in memory and once on a real redis-server. The
/// control plane that saves and the one that loads are two handles (for Redis: two connections, as a restarted
/// control plane has).
/// </summary>
public abstract class FailoverStateStoreContract
{
    protected static readonly DateTimeOffset Since = new(2026, 12, 2, 10, 30, 15, 123, TimeSpan.Zero);

    /// <summary>Two handles on one state: the one that saves and the one a restarted control plane loads with.</summary>
    protected abstract Task<(IFailoverStateStore Saving, IFailoverStateStore Loading)> ConnectAsync();

    [Fact]
    public async Task Load_BeforeAnySave_IsNull()
    {
        var (_, loading) = await ConnectAsync();

        Assert.Null(await loading.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Save_ThenLoad_KeepsEveryField_WithTheLastReportsSteps()
    {
        var (saving, loading) = await ConnectAsync();
        var last = new DatacenterSwitchReport("failover", "primary", "dr", "done",
            [new SwitchStep("check", 1, "dr is up"), new SwitchStep("promote", 12, "127.0.0.1:6380 is primary")], 42);
        var state = new FailoverState(FailoverState.Idle, "dr", null, null, Since, "primary", last);

        await saving.SaveAsync(state, CancellationToken.None);
        var loaded = await loading.LoadAsync(CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(state with { Last = null }, loaded with { Last = null });
        Assert.Equal(Since, loaded.Since);
        Assert.Equal((last.Kind, last.From, last.To, last.Outcome, last.BehindBytes), (loaded.Last!.Kind, loaded.Last.From, loaded.Last.To, loaded.Last.Outcome, loaded.Last.BehindBytes));
        Assert.Equal(last.Steps, loaded.Last.Steps);
    }

    [Fact]
    public async Task Save_ReplacesTheWholeState_SoAFieldNowNullLoadsAsNull()
    {
        var (saving, loading) = await ConnectAsync();
        await saving.SaveAsync(new FailoverState(FailoverState.SwitchingOver, "primary", "dr", "promote", Since, "dr", null), CancellationToken.None);

        var done = new FailoverState(FailoverState.Idle, "dr", null, null, Since.AddSeconds(3), null, null);
        await saving.SaveAsync(done, CancellationToken.None);

        Assert.Equal(done, await loading.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AHalfDoneSwitch_LoadsWithItsStateTargetAndStep()
    {
        var (saving, loading) = await ConnectAsync();
        var halfDone = new FailoverState(FailoverState.FailingBack, "dr", "primary", "in sync", Since, "primary", null);

        await saving.SaveAsync(halfDone, CancellationToken.None);

        Assert.Equal(halfDone, await loading.LoadAsync(CancellationToken.None));
    }
}
