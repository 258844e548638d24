using System.Runtime.InteropServices;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// The calling thread's time slice under Linux's EEVDF scheduler (6.6+; a thread may ask for its own since 6.12, through
/// <c>sched_setattr</c>'s <c>sched_runtime</c>). A thread that has just been given a core keeps it for its slice
/// (1.4 ms on a 2-core machine) against an equal thread that wakes, whatever their nice values; a waking thread with a
/// shorter slice takes the core at once. The open-model dispatcher asks for a short one so it leaves on time even when
/// the sampler's close, a pool worker or the server under test has just started on its core (bench/RESULTS.md has the
/// <c>perf sched</c> trace: the sampler at nice 19 held the dispatcher's core 2.3–2.5 ms at every second's close). The
/// sampler asks for one too (<see cref="DedicatedThread"/>), so it gives its core up to any thread that wakes there.
/// </summary>
internal static partial class ThreadSlice
{
    /// <summary>The shortest slice the kernel grants (<c>SCHED_SLICE_MIN</c>, 0.1 ms).</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(0.1);

    private const int SchedOther = 0;
    private const ulong ResetOnFork = 0x01;
    private const int SysSchedSetAttr = 314;
    private const int SysSchedGetAttr = 315;

    /// <summary>
    /// Asks for <paramref name="slice"/> on the calling thread, keeping its nice value. Threads it starts later get the
    /// system's default again (reset on fork): the pool workers the dispatcher may start must not inherit it. False where
    /// the system refused or has no such call (not Linux on x86-64). A kernel before 6.12 has no slice per thread: it
    /// ignores the one asked for, and <see cref="Current"/> then reads zero.
    /// </summary>
    public static bool SetShort(TimeSpan slice)
    {
        if (!Supported)
        {
            return false;
        }
        if (ThreadNiceness.Current() is not { } nice)
        {
            return false;
        }
        var attributes = new SchedAttributes
        {
            Size = (uint)Marshal.SizeOf<SchedAttributes>(),
            Policy = SchedOther,
            Flags = ResetOnFork,
            Nice = nice,
            Runtime = (ulong)(slice.Ticks * 100),
        };
        return SetAttributes(SysSchedSetAttr, 0, ref attributes, 0) == 0;
    }

    /// <summary>The calling thread's slice as the kernel reports it, or null where it cannot be read.</summary>
    public static TimeSpan? Current()
    {
        if (!Supported)
        {
            return null;
        }
        var attributes = default(SchedAttributes);
        return GetAttributes(SysSchedGetAttr, 0, ref attributes, (uint)Marshal.SizeOf<SchedAttributes>(), 0) == 0
            ? TimeSpan.FromTicks((long)(attributes.Runtime / 100))
            : null;
    }

    // The system call numbers above are x86-64's; glibc has no wrapper for either call.
    private static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    // struct sched_attr, first version (SCHED_ATTR_SIZE_VER1, 56 bytes).
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttributes
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
        public uint UtilizationMin;
        public uint UtilizationMax;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SetAttributes(long number, int thread, ref SchedAttributes attributes, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long GetAttributes(long number, int thread, ref SchedAttributes attributes, uint size, uint flags);
}
