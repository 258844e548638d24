using System.Runtime.InteropServices;

namespace CdnPlatform.LoadTest.Scheduling;

/// <summary>
/// The calling thread's nice value on Linux, where each thread has its own (<c>setpriority</c> on its thread id). .NET's
/// <see cref="Thread.Priority"/> does not reach the Linux scheduler, so this is how the tool's bookkeeping steps aside
/// for its requests and for the server under test sharing the machine's cores.
/// </summary>
internal static partial class ThreadNiceness
{
    private const int PriorityProcess = 0;
    private const int Lowest = 19;

    /// <summary>Moves the calling thread to nice 19; false where that is not possible (not Linux, or refused).</summary>
    public static bool SetLowest() => OperatingSystem.IsLinux() && SetPriority(PriorityProcess, GetThreadId(), Lowest) == 0;

    /// <summary>The calling thread's nice value, or null where it cannot be read.</summary>
    public static int? Current()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        // -1 is a valid nice value, so errors are told apart by errno, which the import keeps.
        Marshal.SetLastPInvokeError(0);
        var nice = GetPriority(PriorityProcess, GetThreadId());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);
}
