using CdnPlatform.OriginGateway.Writes;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>
/// A gateway that was paused (its ticks stopped) holds a write's answer until the control plane sets its mode again,
/// since a failover may have happened meanwhile; a set queued during the pause does not count, and a control plane that
/// stays silent does not hold writes for good.
/// </summary>
public sealed class WriteControlPauseTests
{
    private static readonly Uri Dr = new("http://127.0.22.1:8080/");
    private readonly FakeTimeProvider _time = new();

    private WriteControl Started()
    {
        var control = new WriteControl(_time);
        control.Tick();
        return control;
    }

    [Fact]
    public void WithoutAPause_AnAnswerGoesOnAtOnce()
    {
        using var control = Started();
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            control.Tick();
        }

        Assert.True(control.WaitUntilHeardAsync(default).IsCompleted);
    }

    [Fact]
    public async Task AfterAPause_AnAnswerWaits_ForASetHeardSinceThePause_NotOneQueuedDuringIt()
    {
        using var control = Started();
        _time.Advance(TimeSpan.FromSeconds(8)); // paused: no tick

        var answer = control.WaitUntilHeardAsync(default);
        // The failover's forward, sent while the gateway was paused, read at once on resuming.
        control.Set(WriteMode.Forward, [Dr]);
        Assert.False(answer.IsCompleted);
        Assert.Equal(WriteMode.Forward, control.Mode);

        _time.Advance(TimeSpan.FromMilliseconds(300));
        control.Tick();
        Assert.False(answer.IsCompleted);
        control.Set(WriteMode.Forward, [Dr]); // the re-assertion of the next second
        await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(control.WaitUntilHeardAsync(default).IsCompleted);
    }

    [Fact]
    public async Task APauseTheWatchTickedPast_HoldsAnswersToo()
    {
        using var control = Started();
        _time.Advance(TimeSpan.FromSeconds(2));
        control.Tick(); // the watch's first tick after the pause: it notices
        _time.Advance(TimeSpan.FromMilliseconds(100));
        control.Tick();

        var answer = control.WaitUntilHeardAsync(default);
        Assert.False(answer.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        control.Set(WriteMode.Open, []);
        await answer.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AfterAPause_WithTheControlPlaneSilent_AnswersGoOnAfterThePatience()
    {
        using var control = Started();
        _time.Advance(TimeSpan.FromSeconds(5));

        var answer = control.WaitUntilHeardAsync(default);
        _time.Advance(WriteControl.Patience - TimeSpan.FromMilliseconds(100));
        Assert.False(answer.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await answer.WaitAsync(TimeSpan.FromSeconds(10));

        // Given up waiting: the next answer does not wait again for the same pause.
        control.Tick();
        Assert.True(control.WaitUntilHeardAsync(default).IsCompleted);
    }
}
