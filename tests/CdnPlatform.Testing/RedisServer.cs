using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace CdnPlatform.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, started for a test class and killed after it.
/// No persistence files are written: each server lives in its own temporary directory.
/// <c>scripts/test.sh</c> installs the Debian package when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;
    private string? _directory;
    private readonly StringBuilder _output = new();

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException("redis-server is not installed; run scripts/test.sh, which installs it (apt-get install redis-server)");
        _directory = Directory.CreateTempSubdirectory("cdn-redis-").FullName;
        Port = FreePort.OnLoopback();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no" })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string output;
                lock (_output) { output = _output.ToString(); }
                throw new InvalidOperationException($"redis-server did not answer PING on port {Port}:\n{output}");
            }
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
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
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindExecutable() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "redis-server")).FirstOrDefault(File.Exists);
}
