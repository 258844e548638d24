using System.Runtime.InteropServices;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// Sleeps for less than a millisecond: Linux's <c>nanosleep</c>, which wakes within about 0.1 ms of the asked time
/// here; .NET's own sleeps and timers count whole milliseconds. Elsewhere <see cref="Available"/> is false and the
/// dispatcher yields instead.
/// </summary>
internal static partial class PreciseSleep
{
    public static bool Available { get; } = OperatingSystem.IsLinux();

    public static void Sleep(TimeSpan duration)
    {
        var ticks = duration.Ticks;
        var request = new TimeSpec(ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond * 100);
        // EINTR (a signal, e.g. the GC suspending threads) ends it early, which is harmless: the caller reads the clock again.
        _ = NanoSleep(in request, IntPtr.Zero);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);
}
