using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace CdnPlatform.Testing;

/// <summary>
/// A real BIND 9 (<c>named</c>, Debian's bind9) on a free loopback port, started for a test class and killed after
/// it: primary for one zone (<see cref="Zone"/>, <c>shop.test</c> unless set) that accepts RFC 2136 updates
/// signed with the TSIG key <see cref="KeyName"/> (<c>hmac-sha256</c>, <see cref="KeySecret"/>), and nothing else:
/// no recursion, no rndc channel, every file in its own temporary directory. <see cref="StopAsync"/> kills it and
/// <see cref="StartAsync"/> brings it back on the same port with the updates it had (its journal is in the
/// directory). <c>scripts/test.sh</c> installs the Debian package when <c>named</c> is missing.
/// </summary>
public sealed class BindServer : IAsyncLifetime
{
    public const string KeyName = "cdn-key";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private string? _directory;
    private string? _executable;

    /// <summary>The zone it is primary for; set it before <see cref="InitializeAsync"/>, when not a class fixture.</summary>
    public string Zone { get; init; } = "shop.test";

    /// <summary>The key's secret, base64, as <c>Control:Dns:Secondaries:N:KeySecret</c> takes it.</summary>
    public string KeySecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public int Port { get; private set; }

    /// <summary>As <c>Control:Dns:Secondaries:N:Server</c> takes it.</summary>
    public string Server => $"127.0.0.1:{Port}";

    /// <summary>What named wrote to stderr (<c>-g</c>): every update it applied or refused, and why.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        _executable = new[] { "/usr/sbin/named", "/usr/local/sbin/named" }.FirstOrDefault(File.Exists)
            ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "named")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("named is not installed; run scripts/test.sh, which installs it (apt-get install bind9)");
        _directory = Directory.CreateTempSubdirectory("cdn-bind-").FullName;
        Port = FreePort.OnLoopback();
        await File.WriteAllTextAsync(Path.Combine(_directory, "named.conf"), $$"""
            options {
                directory "{{_directory}}";
                pid-file "{{_directory}}/named.pid";
                session-keyfile "{{_directory}}/session.key";
                listen-on port {{Port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
            };
            controls { };
            key "{{KeyName}}" { algorithm hmac-sha256; secret "{{KeySecret}}"; };
            zone "{{Zone}}" { type primary; file "{{_directory}}/{{Zone}}.zone"; allow-update { key "{{KeyName}}"; }; };
            """);
        // What an operator starts from: the server's own SOA and NS, none of the CDN's names yet.
        await File.WriteAllTextAsync(Path.Combine(_directory, $"{Zone}.zone"), $"""
            $TTL 300
            @  IN SOA ns1.{Zone}. hostmaster.{Zone}. 1 3600 600 86400 30
            @  IN NS  ns1.{Zone}.
            ns1 IN A  127.0.0.1

            """);
        await StartAsync();
    }

    /// <summary>Starts named (again) and returns once it answers for <see cref="Zone"/>. Does nothing while it runs.</summary>
    public async Task StartAsync()
    {
        if (_executable is null || _directory is null)
        {
            throw new InvalidOperationException("InitializeAsync has not run");
        }
        await _lifecycle.WaitAsync();
        try
        {
            if (_process is { HasExited: false })
            {
                return;
            }
            _process?.Dispose();
            // -g: in the foreground, logging to stderr. Run as root it keeps root (no -u): the files are root's too.
            var start = new ProcessStartInfo(_executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
            foreach (var arg in new[] { "-g", "-c", Path.Combine(_directory, "named.conf") })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start named");
            _process = process;
            process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var started = Stopwatch.GetTimestamp();
            while ((await AskAsync(Zone, "SOA")).Status != "NOERROR")
            {
                if (process.HasExited || Stopwatch.GetElapsedTime(started) > StartPatience)
                {
                    throw new InvalidOperationException($"named did not answer for {Zone} on port {Port}:\n{Output}");
                }
                await Task.Delay(50);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Kills named (SIGKILL) and waits for it to exit; the port then refuses queries.</summary>
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

    /// <summary><c>dig</c> against this server.</summary>
    public Task<Dig> AskAsync(params string[] query) => Dig.AskAsync(Port, query);

    /// <summary>The addresses BIND answers for <paramref name="name"/> (A), sorted; empty for none.</summary>
    public async Task<IReadOnlyList<string>> AddressesAsync(string name)
    {
        var answer = await AskAsync(name, "A");
        return [.. answer.Section("ANSWER").Where(r => r.Length == 5 && r[3] == "A").Select(r => r[4]).Order(StringComparer.Ordinal)];
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
}
