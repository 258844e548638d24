using System.Runtime.InteropServices;

namespace CdnPlatform.Edge.Storage;

/// <summary>
/// Tunes glibc's allocator for the edge's bodies, which live in native memory (<see cref="Caching.Storage.StoredBody"/>)
/// and churn all day: thousands of fills and evictions a second, sizes from a few hundred bytes to megabytes.
/// </summary>
/// <remarks>
/// With glibc's defaults the memory freed by evictions stayed in the process: one arena per busy thread (up to eight a
/// core), each keeping its own free space, and a threshold for mmap that rises after every large free until bodies of
/// a megabyte come from the arenas too. bench/memory-budget.sh measured RSS 245 MiB against 220 with one arena and
/// bodies from 16 KiB up mapped on their own (returned to the system the moment they are freed), with the same
/// 64 MiB budget (bench/RESULTS.md, 2026-12-06). An operator's MALLOC_ARENA_MAX or MALLOC_MMAP_THRESHOLD_ wins; other C
/// libraries (musl) and other systems are left as they are.
/// </remarks>
public static partial class NativeHeap
{
    /// <summary>
    /// Bodies of this size and more are mapped on their own rather than carved from an arena (fixed: it no longer rises
    /// after each large free). 128 KiB, glibc's own starting value, left bodies of 16–128 KiB to fragment the arena: RSS
    /// 214 against 200 MiB at a 64 MiB budget. The price: the JIT's 64 KiB working arenas are mapped and unmapped each
    /// time too (strace), which costs only while methods are still being compiled.
    /// </summary>
    public const int MapThresholdBytes = 16 * 1024;

    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int MallocArenaMax = -8; // M_ARENA_MAX

    /// <summary>Applies the tuning once, at start-up, before the first body is allocated. Says what it did.</summary>
    public static string TuneForBodies()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux: the system's allocator as it is";
        }
        try
        {
            var arenas = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null && Mallopt(MallocArenaMax, 1) == 1;
            var threshold = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null && Mallopt(MallocMmapThreshold, MapThresholdBytes) == 1;
            return $"glibc: one arena {(arenas ? "set" : "left to the environment")}, mmap from {MapThresholdBytes} bytes {(threshold ? "set" : "left to the environment")}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "no glibc mallopt: the C library's allocator as it is";
        }
    }

    // glibc's mallopt: 1 on success. musl has the symbol and ignores it.
    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
