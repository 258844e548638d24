using System.Diagnostics;
using System.Security.Cryptography;
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
    private ServerProcess? _server;
    private string? _directory;

    /// <summary>The zone it is primary for; set it before <see cref="InitializeAsync"/>, when not a class fixture.</summary>
    public string Zone { get; init; } = "shop.test";

    /// <summary>The key's secret, base64, as <c>Control:Dns:Secondaries:N:KeySecret</c> takes it.</summary>
    public string KeySecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public int Port { get; private set; }

    /// <summary>As <c>Control:Dns:Secondaries:N:Server</c> takes it.</summary>
    public string Server => $"127.0.0.1:{Port}";

    /// <summary>What named wrote to stderr (<c>-g</c>): every update it applied or refused, and why.</summary>
    public string Output => _server?.Output ?? "";

    public async Task InitializeAsync()
    {
        var executable = ServerProcess.Find("named", "/usr/sbin/named", "/usr/local/sbin/named")
            ?? throw new InvalidOperationException("named is not installed; run scripts/test.sh, which installs it (apt-get install bind9)");
        var directory = _directory = Directory.CreateTempSubdirectory("cdn-bind-").FullName;
        Port = FreePort.OnLoopback();
        var conf = Path.Combine(directory, "named.conf");
        await File.WriteAllTextAsync(conf, $$"""
            options {
                directory "{{directory}}";
                pid-file "{{directory}}/named.pid";
                session-keyfile "{{directory}}/session.key";
                listen-on port {{Port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
            };
            controls { };
            key "{{KeyName}}" { algorithm hmac-sha256; secret "{{KeySecret}}"; };
            zone "{{Zone}}" { type primary; file "{{directory}}/{{Zone}}.zone"; allow-update { key "{{KeyName}}"; }; };
            """);
        // What an operator starts from: the server's own SOA and NS, none of the CDN's names yet.
        await File.WriteAllTextAsync(Path.Combine(directory, $"{Zone}.zone"), $"""
            $TTL 300
            @  IN SOA ns1.{Zone}. hostmaster.{Zone}. 1 3600 600 86400 30
            @  IN NS  ns1.{Zone}.
            ns1 IN A  127.0.0.1

            """);
        // -g: in the foreground, logging to stderr. Run as root it keeps root (no -u): the files are root's too.
        _server = new ServerProcess($"named for {Zone} on port {Port}", () =>
        {
            var start = new ProcessStartInfo(executable) { WorkingDirectory = directory };
            foreach (var arg in new[] { "-g", "-c", conf })
            {
                start.ArgumentList.Add(arg);
            }
            return start;
        }, async () => (await AskAsync(Zone, "SOA")).Status == "NOERROR", StartPatience);
        await StartAsync();
    }

    /// <summary>Starts named (again) and returns once it answers for <see cref="Zone"/>. Does nothing while it runs.</summary>
    public Task StartAsync() => (_server ?? throw new InvalidOperationException("InitializeAsync has not run")).StartAsync();

    /// <summary>Kills named (SIGKILL) and waits for it to exit; the port then refuses queries.</summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

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
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}
