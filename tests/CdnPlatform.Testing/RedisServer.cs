using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace CdnPlatform.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, started for a test class and killed after it.
/// It runs as the purge log needs Redis in production: append-only file on, fsynced on every write
/// (<c>--appendonly yes --appendfsync always</c>), no RDB snapshots, all files in its own temporary
/// directory. <see cref="StopAsync"/> kills it like a crash and <see cref="StartAsync"/> brings it back on
/// the same port from the same directory, so a test can check that accepted writes survived.
/// <c>scripts/test.sh</c> installs the Debian package when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private string? _directory;
    private string? _executable;

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>True between a successful start and the next stop.</summary>
    public bool IsRunning => _process is { HasExited: false };

    public async Task InitializeAsync()
    {
        _executable = FindExecutable()
            ?? throw new InvalidOperationException("redis-server is not installed; run scripts/test.sh, which installs it (apt-get install redis-server)");
        _directory = Directory.CreateTempSubdirectory("cdn-redis-").FullName;
        Port = FreePort.OnLoopback();
        await StartAsync();
    }

    /// <summary>
    /// Starts the server (again) on the same port and directory, and returns once it answers PING, which it
    /// only does after loading its append-only file. Does nothing when it is already running.
    /// </summary>
    public async Task StartAsync()
    {
        if (_executable is null || _directory is null)
        {
            throw new InvalidOperationException("InitializeAsync has not run");
        }
        await _lifecycle.WaitAsync();
        try
        {
            if (IsRunning)
            {
                return;
            }
            _process?.Dispose();
            var start = new ProcessStartInfo(_executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = _directory,
            };
            foreach (var arg in new[]
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", _directory, "--daemonize", "no",
            })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
            _process = process;
            process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            // While it loads the append-only file Redis answers -LOADING, so +PONG means the data is back.
            var deadline = DateTime.UtcNow + StartPatience;
            while (!await PingAsync())
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    string output;
                    lock (_output) { output = _output.ToString(); }
                    throw new InvalidOperationException($"redis-server did not answer PING on port {Port}:\n{output}");
                }
                await Task.Delay(50);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Kills the server (SIGKILL, as a crash would) and waits for it to exit. Nothing is flushed on the way
    /// out: what survives is what <c>appendfsync always</c> had already written for each acknowledged command.
    /// </summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? FindExecutable() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "redis-server")).FirstOrDefault(File.Exists);
}
