using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Edge.Purging;

/// <summary>
/// Applies pending prefix bans to the whole store now and then, so the list each lookup checks stays
/// short (Varnish's ban lurker). Correctness does not depend on it: lookups check bans themselves.
/// </summary>
internal sealed class BanSweeper : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly MemoryCacheStore _store;
    private readonly TimeProvider _time;

    public BanSweeper(MemoryCacheStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            _store.SweepBans();
        }
    }
}
