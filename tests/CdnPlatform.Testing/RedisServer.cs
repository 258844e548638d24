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
    private ServerProcess? _server;
    private string? _directory;

    /// <summary>
    /// Start from a configuration file in its directory instead of the command line, as docker-compose.yml does:
    /// <c>CONFIG REWRITE</c> then works, and what it writes is what a restart starts with. (An init property, not a
    /// constructor parameter: xUnit's class fixtures take one parameterless constructor.)
    /// </summary>
    public bool HasConfigurationFile { get; init; }

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>True between a successful start and the next stop.</summary>
    public bool IsRunning => _server?.IsRunning ?? false;

    public async Task InitializeAsync()
    {
        var executable = ServerProcess.Find("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed; run scripts/test.sh, which installs it (apt-get install redis-server)");
        var directory = _directory = Directory.CreateTempSubdirectory("cdn-redis-").FullName;
        Port = FreePort.OnLoopback();
        // While it loads the append-only file Redis answers -LOADING, so +PONG means the data is back.
        _server = new ServerProcess($"redis-server on port {Port}", () =>
        {
            var start = new ProcessStartInfo(executable) { WorkingDirectory = directory };
            string[] settings =
            [
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", directory, "--daemonize", "no",
                // A replica that connects gets its first copy at once, not after the default 5 s wait for more replicas.
                "--repl-diskless-sync-delay", "0",
            ];
            if (HasConfigurationFile)
            {
                // Written once: later starts take the file as the server last rewrote it.
                var file = Path.Combine(directory, "redis.conf");
                if (!File.Exists(file))
                {
                    File.WriteAllLines(file, settings.Chunk(2).Select(p => $"{p[0][2..]} {(p[1].Length == 0 ? "\"\"" : p[1])}"));
                }
                start.ArgumentList.Add(file);
                return start;
            }
            foreach (var arg in settings)
            {
                start.ArgumentList.Add(arg);
            }
            return start;
        }, PingAsync, StartPatience);
        await StartAsync();
    }

    /// <summary>
    /// Starts the server (again) on the same port and directory, and returns once it answers PING, which it
    /// only does after loading its append-only file. Does nothing when it is already running.
    /// </summary>
    public Task StartAsync() => (_server ?? throw new InvalidOperationException("InitializeAsync has not run")).StartAsync();

    /// <summary>
    /// Kills the server (SIGKILL, as a crash would) and waits for it to exit. Nothing is flushed on the way
    /// out: what survives is what <c>appendfsync always</c> had already written for each acknowledged command.
    /// </summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    /// <summary>SIGSTOP: connections stay open and nothing is answered, until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => (_server ?? throw new InvalidOperationException("InitializeAsync has not run")).PauseAsync();

    /// <summary>SIGCONT: answers what it was sent while paused.</summary>
    public Task ResumeAsync() => (_server ?? throw new InvalidOperationException("InitializeAsync has not run")).ResumeAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
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
}
