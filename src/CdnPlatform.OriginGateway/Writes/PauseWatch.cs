namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// Ticks <see cref="WriteControl.Tick"/> every 100 ms, so that the gateway can tell it was paused (its host frozen, its
/// process stopped, a VM migrated): a gap between ticks. Nothing else inside a paused process can see the pause, and a
/// paused datacenter may have been failed away from before it runs again.
/// </summary>
public sealed class PauseWatch(WriteControl control, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                control.Tick();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
