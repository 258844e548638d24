namespace CdnPlatform.Testing;

/// <summary>A clock that moves only when a test moves it, so freshness can be tested without waiting.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;
    private readonly Lock _lock = new();

    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
