using System.Globalization;
using System.Runtime.InteropServices;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// A Linux process group, as <c>setsid</c> makes one: what <c>kill -KILL -pgid</c> reaches at once. Read from
/// <c>/proc</c>, so that it is the kernel's view, not what the launcher believes it started.
/// </summary>
public static class ProcessGroup
{
    private const int SigKill = 9;
    // Linux's numbers on x86-64 and arm64 (not those of every architecture).
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>SIGKILL to every process of group <paramref name="groupId"/>: none gets to flush or say goodbye.</summary>
    public static void Kill(int groupId)
    {
        // ESRCH (no such group) is the goal already reached.
        _ = SendSignal(-groupId, SigKill);
    }

    /// <summary>SIGSTOP to every process of group <paramref name="groupId"/>: they keep their memory and sockets and run nothing.</summary>
    public static void Stop(int groupId) => _ = SendSignal(-groupId, SigStop);

    /// <summary>SIGSTOP to one process.</summary>
    public static void StopProcess(int processId) => _ = SendSignal(processId, SigStop);

    /// <summary>SIGCONT to every process of group <paramref name="groupId"/>: whatever was stopped in it runs again.</summary>
    public static void Continue(int groupId) => _ = SendSignal(-groupId, SigCont);

    /// <summary>The group this process leads or belongs to.</summary>
    public static int Own() => GroupOf(Environment.ProcessId) ?? throw new InvalidOperationException("/proc has no entry for this process");

    /// <summary>The process group of <paramref name="processId"/>, or null when it is gone or a zombie (dead, not yet reaped).</summary>
    public static int? GroupOf(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so fields count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] is "Z" or "X" ? null : int.Parse(fields[2], CultureInfo.InvariantCulture);
    }

    /// <summary>Every live process of group <paramref name="groupId"/>.</summary>
    public static IReadOnlyList<int> Members(int groupId) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && GroupOf(pid) == groupId)];

    /// <summary>The live processes of group <paramref name="groupId"/> whose executable is named <paramref name="name"/> (<c>/proc/PID/comm</c>).</summary>
    public static IReadOnlyList<int> MembersNamed(int groupId, string name) =>
        [.. Members(groupId).Where(pid =>
        {
            try
            {
                return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").TrimEnd('\n') == name;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        })];

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);
}
