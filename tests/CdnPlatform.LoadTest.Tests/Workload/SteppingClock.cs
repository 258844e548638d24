namespace CdnPlatform.LoadTest.Tests.Workload;

/// <summary>A clock that moves one millisecond at every reading, so a test can tell which reading a figure came from.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, 1_000);
}
