using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// A <see cref="DatacenterHost"/> as its launcher sees it: <c>setsid dotnet cdnctl.dll datacenter-host --spec …</c>,
/// so it leads a process group of its own. <see cref="KillAsync"/> SIGKILLs that group; <see cref="StartAsync()"/>
/// launches it again from the same spec, on the same ports and Redis files.
/// </summary>
public sealed class DatacenterProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DeathPatience = TimeSpan.FromSeconds(10);

    private DatacenterSpec _spec;
    private readonly string _specPath;
    private readonly HttpClient _admin;
    // One kill or start at a time: a second waits and then finds the state it asked for.
    private readonly SemaphoreSlim _power = new(1, 1);
    private readonly ChildProcessOutput _output;
    private Process? _process;
    private DatacenterPause? _paused;

    private DatacenterProcess(DatacenterSpec spec, string specPath, Action<string>? echo)
    {
        _spec = spec;
        _specPath = specPath;
        _output = new ChildProcessOutput(echo);
        // A member's restart may take as long as an origin process takes to get ready.
        _admin = new HttpClient { BaseAddress = new Uri(spec.AdminUrl), Timeout = TimeSpan.FromMinutes(2) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", spec.AdminKey);
    }

    public string Datacenter => _spec.Datacenter;

    public bool Running => _process is { HasExited: false };

    /// <summary>The host's pid, which is also its process group's id; null while killed.</summary>
    public int? ProcessGroupId => Running ? _process!.Id : null;

    /// <summary>What of the datacenter is paused now (<see cref="PauseAsync"/>); null while it runs or is killed.</summary>
    public DatacenterPause? Paused => _paused;

    /// <summary>What the datacenter's current process printed (its members log warnings and errors): for a report of what went wrong.</summary>
    public string Output => _output.ToString();

    /// <summary>Writes the spec next to the datacenter's Redis files and launches the host; returns once it is ready.</summary>
    /// <param name="echo">Given each line the host prints (its members' warnings and errors) as it comes, if set.</param>
    public static async Task<DatacenterProcess> StartAsync(DatacenterSpec spec, string directory, CancellationToken cancellationToken,
        Action<string>? echo = null)
    {
        var specPath = Path.Combine(directory, "datacenter.json");
        await File.WriteAllTextAsync(specPath, JsonSerializer.Serialize(spec), cancellationToken);
        var datacenter = new DatacenterProcess(spec, specPath, echo);
        try
        {
            await datacenter.LaunchAsync(cancellationToken);
            return datacenter;
        }
        catch
        {
            await datacenter.DisposeAsync();
            throw;
        }
    }

    /// <summary>Launches the host again after a kill; false when it is running already.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        await _power.WaitAsync(cancellationToken);
        try
        {
            if (Running)
            {
                return false;
            }
            if (_spec.WaitForReplicaSync)
            {
                // The first sync is waited for at network start only: started again, the store may be a primary (a switch
                // saved it so), or a replica whose primary is the datacenter that is dead.
                _spec = _spec with { WaitForReplicaSync = false };
                await File.WriteAllTextAsync(_specPath, JsonSerializer.Serialize(_spec), cancellationToken);
            }
            await LaunchAsync(cancellationToken);
            return true;
        }
        finally
        {
            _power.Release();
        }
    }

    /// <summary>SIGKILL to the whole group; returns once none of its processes is alive. False when it was killed already.</summary>
    public async Task<bool> KillAsync()
    {
        await _power.WaitAsync();
        try
        {
            if (!Running)
            {
                return false;
            }
            await KillGroupAsync();
            return true;
        }
        finally
        {
            _power.Release();
        }
    }

    /// <summary>
    /// SIGSTOPs the whole group (gateways, nodes, Redis), or only its <c>redis-server</c>: they keep their memory, data
    /// and connections and answer nothing until <see cref="ResumeAsync"/>, as a datacenter whose network or storage
    /// stalls rather than dies. False when something of it is paused already.
    /// </summary>
    /// <exception cref="InvalidOperationException">The datacenter is killed, or has no <c>redis-server</c> to pause.</exception>
    public async Task<bool> PauseAsync(DatacenterPause what)
    {
        await _power.WaitAsync();
        try
        {
            if (!Running)
            {
                throw new InvalidOperationException($"{Datacenter} is killed: there is nothing to pause");
            }
            if (_paused is not null)
            {
                return false;
            }
            var group = _process!.Id;
            if (what == DatacenterPause.Redis)
            {
                var redis = ProcessGroup.MembersNamed(group, "redis-server");
                if (redis.Count == 0)
                {
                    throw new InvalidOperationException($"{Datacenter} runs no redis-server in its process group {group}");
                }
                foreach (var pid in redis)
                {
                    ProcessGroup.StopProcess(pid);
                }
            }
            else
            {
                ProcessGroup.Stop(group);
            }
            _paused = what;
            return true;
        }
        finally
        {
            _power.Release();
        }
    }

    /// <summary>SIGCONT to the whole group: what <see cref="PauseAsync"/> stopped runs on. False when nothing was paused.</summary>
    public async Task<bool> ResumeAsync()
    {
        await _power.WaitAsync();
        try
        {
            if (_paused is null || !Running)
            {
                return false;
            }
            ProcessGroup.Continue(_process!.Id);
            _paused = null;
            return true;
        }
        finally
        {
            _power.Release();
        }
    }

    /// <summary>Stops, kills or restarts one of its gateways or nodes, through the host's admin listener.</summary>
    /// <exception cref="InvalidOperationException">The datacenter is killed, or the host could not do it; the message says which.</exception>
    public async Task SendAsync(string member, string action)
    {
        HttpResponseMessage response;
        try
        {
            response = await _admin.PostAsync($"/members/{member}/{action}", null);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"datacenter {Datacenter} does not answer at {_spec.AdminUrl} (killed?): {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"datacenter {Datacenter} could not {action} {member}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        // setsid execs in place (a child of this process leads no group yet), so the pid is the new group's id.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "cdnctl.dll"), "datacenter-host", "--spec", _specPath })
        {
            start.ArgumentList.Add(arg);
        }
        // Standard input stays open and unwritten: the host takes its end of file for "the launcher is gone".
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the host of datacenter {Datacenter}");
        _output.Capture(process);
        _process = process;
        await WaitUntilReadyAsync(cancellationToken);
        if (ProcessGroup.GroupOf(process.Id) != process.Id)
        {
            await KillGroupAsync();
            throw new InvalidOperationException($"the host of datacenter {Datacenter} does not lead a process group of its own (setsid forked?)");
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // Not listening at first: its Redis, nodes and gateways start before its admin listener.
        if (!await ChildProcessOutput.UntilHealthyAsync(_spec.AdminUrl + "/healthz", _process!, ReadyPatience, cancellationToken))
        {
            await KillGroupAsync();
            throw new InvalidOperationException($"datacenter {Datacenter} did not get ready within {ReadyPatience.TotalSeconds:0} s:\n{_output}");
        }
    }

    private async Task KillGroupAsync()
    {
        var process = _process!;
        ProcessGroup.Kill(process.Id);
        await process.WaitForExitAsync();
        // Its children (Redis, node processes) got the same signal; they are gone when no member of the group is alive.
        var deadline = DateTime.UtcNow + DeathPatience;
        while (ProcessGroup.Members(process.Id).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"processes {string.Join(", ", ProcessGroup.Members(process.Id))} of datacenter {Datacenter} survived SIGKILL");
            }
            await Task.Delay(20);
        }
        process.Dispose();
        _process = null;
        // SIGKILL ends stopped processes too: a paused datacenter killed is simply killed.
        _paused = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Running)
        {
            await KillGroupAsync();
        }
        _admin.Dispose();
        _power.Dispose();
    }
}
