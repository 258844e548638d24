using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CdnPlatform.LoadTest.Http;

/// <summary>
/// The open-model dispatcher's time until its next arrival, lent to the request it has just started: a read that finds
/// no bytes waits for them on the dispatcher's own thread (<c>ppoll</c> on the socket) until the window ends, instead of
/// handing the wait to .NET's socket thread and a pool worker. So a quick answer wakes the thread that sent the request,
/// on the core it slept on, as wrk's single thread is woken; through the socket thread the answer woke a second thread,
/// often on the idle core, whose exit from idle cost this VM ~30 µs of every latency (bench/RESULTS.md). An answer still
/// missing when the window ends is read asynchronously as before, so the next arrival leaves on time. Thread-static:
/// only code running synchronously on the dispatcher's thread sees a window; a continuation on the pool never does.
/// </summary>
internal static partial class DispatcherReadWindow
{
    private const short PollIn = 0x001;

    [ThreadStatic] private static long t_until;
    [ThreadStatic] private static TimeProvider? t_time;

    /// <summary>Lends the calling thread's time up to <paramref name="until"/> (a timestamp of <paramref name="time"/>) to the reads it makes.</summary>
    public static void Open(TimeProvider time, long until)
    {
        t_time = time;
        t_until = until;
    }

    public static void Close() => t_until = 0;

    /// <summary>
    /// Waits, within the calling thread's window, for bytes on <paramref name="socket"/> and reads them into
    /// <paramref name="buffer"/>. False, with nothing read, when this thread has no window, it is over, or it ended before
    /// a byte came: the caller then reads asynchronously.
    /// </summary>
    /// <exception cref="SocketException">The read failed (a reset connection), as the asynchronous read would.</exception>
    public static bool TryReceive(Socket socket, Span<byte> buffer, out int read)
    {
        read = 0;
        if (t_until == 0 || !OperatingSystem.IsLinux())
        {
            return false;
        }
        var left = t_time!.GetElapsedTime(t_time.GetTimestamp(), t_until);
        if (left <= TimeSpan.Zero || !WaitReadable(socket, left))
        {
            return false;
        }
        read = socket.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return false;
        }
        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }
        return true;
    }

    // Readable also when the peer closed or reset: the read that follows then says which.
    private static bool WaitReadable(Socket socket, TimeSpan left)
    {
        var descriptor = new PollDescriptor((int)socket.SafeHandle.DangerousGetHandle(), PollIn, 0);
        var ticks = left.Ticks;
        var timeout = new TimeSpec(ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond * 100);
        // 0 is the window's end; -1 a signal (EINTR, e.g. the GC suspending threads) or a socket closed under it (the
        // pool's watchdog): in each case the asynchronous read takes over and meets what there is to meet.
        return PPoll(ref descriptor, 1, in timeout, IntPtr.Zero) > 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct PollDescriptor(int Descriptor, short Events, short ReturnedEvents);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

    [LibraryImport("libc", EntryPoint = "ppoll")]
    private static partial int PPoll(ref PollDescriptor descriptors, nuint count, in TimeSpec timeout, IntPtr signalMask);
}
