using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// A <c>redis-server</c> that <c>cdnctl up --redis auto</c> starts for one role of the network (the control
/// plane's purge log, a datacenter's store) on a free loopback port, with its files in a temporary directory,
/// append-only file on, settings in a configuration file there (roles a switch sets survive a restart), killed and
/// removed when the network stops.
/// </summary>
public sealed class LocalRedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    // Null when the directory is the caller's: a datacenter's store outlives its process (SIGKILL and start again).
    private readonly string? _ownDirectory;
    private readonly StringBuilder _output = new();

    private LocalRedisServer(string role, int port, Process process, string? ownDirectory)
    {
        Role = role;
        Port = port;
        _process = process;
        _ownDirectory = ownDirectory;
    }

    public string Role { get; }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <param name="fsync">
    /// <c>always</c> where an acknowledged write must survive a crash (the purge log), <c>everysec</c> for a
    /// datacenter's store, where a second of sessions is the accepted loss.
    /// </param>
    /// <param name="replicaOf">The server this one replicates (the DR datacenter's store replicates the primary's).</param>
    /// <exception cref="InvalidOperationException">redis-server is not installed or did not come up; the message says which.</exception>
    public static Task<LocalRedisServer> StartAsync(string role, string fsync, LocalRedisServer? replicaOf = null, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory($"cdnctl-redis-{role}-").FullName;
        return StartAsync(role, fsync, OriginProcess.FreePort("127.0.0.1"), directory, ownsDirectory: true, replicaOf?.Port, cancellationToken);
    }

    /// <summary>
    /// Starts a datacenter's store on a port and in a directory settled beforehand, which it leaves behind when it
    /// dies: started again on them, it comes back with its data, as on a host that rebooted.
    /// </summary>
    public static Task<LocalRedisServer> StartAsync(string role, string fsync, int port, string directory, int? replicaOfPort, CancellationToken cancellationToken) =>
        StartAsync(role, fsync, port, directory, ownsDirectory: false, replicaOfPort, cancellationToken);

    private static async Task<LocalRedisServer> StartAsync(string role, string fsync, int port, string directory, bool ownsDirectory, int? replicaOfPort,
        CancellationToken cancellationToken)
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("--redis auto needs redis-server (apt-get install -y redis-server)");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(ConfigurationFile(fsync, port, directory, replicaOfPort));

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start redis-server for {role}");
        var server = new LocalRedisServer(role, port, process, ownsDirectory ? directory : null);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilAnsweringAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The server's settings as a file in its directory, written at its first start only, as docker-compose.yml seeds
    /// <c>/data/redis.conf</c>: a switch saves the roles it sets there (<c>CONFIG REWRITE</c>), so a store killed and
    /// started again takes the role it last had (a promoted DR stays the primary, a fenced primary a replica) instead
    /// of the one it was first given, and a primary that was dead when DR was promoted comes back one, to be fenced.
    /// </summary>
    private static string ConfigurationFile(string fsync, int port, string directory, int? replicaOfPort)
    {
        var file = Path.Combine(directory, "redis.conf");
        if (!File.Exists(file))
        {
            var lines = new List<string>
            {
                $"port {port.ToString(CultureInfo.InvariantCulture)}", "bind 127.0.0.1", $"dir {Quoted(directory)}",
                "appendonly yes", $"appendfsync {fsync}", "save \"\"", "daemonize no",
                // A replica that connects gets its first copy at once, not after the default 5 s wait for more replicas.
                "repl-diskless-sync-delay 0",
            };
            if (replicaOfPort is { } primaryPort)
            {
                lines.Add($"replicaof 127.0.0.1 {primaryPort.ToString(CultureInfo.InvariantCulture)}");
            }
            File.WriteAllLines(file, lines);
        }
        return file;
    }

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Record(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// Waits until this replica holds its primary's data (<c>master_link_status:up</c>), so nodes started on it
    /// find the content and the key ring instead of an empty store.
    /// </summary>
    public async Task WaitUntilInSyncAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartPatience;
        while (!(await InfoAsync("replication", cancellationToken)).Contains("master_link_status:up", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server for {Role} did not finish its first sync from its primary");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<string> InfoAsync(string section, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"INFO {section}\r\n"), cancellationToken);
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartPatience;
        while (!await PingAsync(cancellationToken))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string output;
                lock (_output)
                {
                    output = _output.ToString();
                }
                throw new InvalidOperationException($"redis-server for {Role} did not answer on port {Port}:\n{output}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownDirectory is null)
        {
            return;
        }
        try
        {
            Directory.Delete(_ownDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory; nothing reads it again.
        }
    }
}
