using System.Security.Cryptography;
using System.Text;
using CdnPlatform.Origin;
using CdnPlatform.OriginGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Cli.Topology;

/// <summary>
/// One datacenter of the local network in a process of its own (<c>cdnctl datacenter-host</c>), leader of its own
/// process group: its redis-server and, with <c>--origin-processes</c>, its node processes are its children in that
/// group, so that one <c>kill -KILL -pgid</c> takes the whole datacenter down at once, as a power cut does. Its
/// gateways and nodes are built by the same <c>Build(args)</c> as on real hosts. It dies with its launcher: when
/// its standard input closes (the launcher exited, however), it kills its group.
/// </summary>
internal sealed class DatacenterHost
{
    private const int MinWorkerThreads = 32;

    private readonly DatacenterSpec _spec;
    // Gateways and nodes by name, for the admin listener's stop, kill and restart.
    private readonly Dictionary<string, ILocalNode> _members = new(StringComparer.Ordinal);
    private readonly byte[] _adminKeyHash;

    private DatacenterHost(DatacenterSpec spec)
    {
        _spec = spec;
        _adminKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(spec.AdminKey));
    }

    /// <summary>Starts the datacenter and runs until the launcher goes away or a signal comes; then its whole group dies.</summary>
    public static async Task<int> RunAsync(DatacenterSpec spec)
    {
        // Five hosts in one process on two cores: as in LocalNetwork, start-up blocks threads on Redis.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), io);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var signals = new StopSignals(stop);
        _ = Task.Run(async () =>
        {
            await WaitForEndOfInputAsync();
            stop.TrySetResult();
        });
        try
        {
            // A launcher that goes away while the datacenter is still starting ends it as well.
            var started = new DatacenterHost(spec).StartAsync();
            if (await Task.WhenAny(started, stop.Task) == started)
            {
                await started;
                await stop.Task;
            }
            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"datacenter {spec.Datacenter} did not start: {e}");
            await Console.Error.FlushAsync();
            return 1;
        }
        finally
        {
            // Its redis-server and node processes too: nothing of the datacenter outlives its host.
            ProcessGroup.Kill(ProcessGroup.Own());
        }
    }

    private static async Task WaitForEndOfInputAsync()
    {
        using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (await input.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A broken pipe is the launcher gone, too.
        }
    }

    private async Task StartAsync()
    {
        var redis = await LocalRedisServer.StartAsync(_spec.Datacenter, "everysec", _spec.RedisPort, _spec.RedisDirectory, _spec.ReplicaOfPort, CancellationToken.None);
        if (_spec.WaitForReplicaSync)
        {
            // The DR nodes' first read must find the primary's content and key ring, not an empty store.
            await redis.WaitUntilInSyncAsync(CancellationToken.None);
        }
        foreach (var node in _spec.Nodes)
        {
            var url = new Uri(node.Url);
            _members[node.Name] = _spec.OriginProcesses
                // A node process's lines go out with this host's own, named by the node, so the launcher shows them too.
                ? await OriginProcess.StartAsync(url.Host, url.Port, node.Settings, CancellationToken.None, line => Console.WriteLine($"{node.Name}: {line}"))
                : await InProcessNode.StartAsync(() => OriginHost.Build(node.Args, Embedded), CancellationToken.None);
        }
        await LocalNetwork.WaitUntilReadyAsync(_spec.Nodes.Select(n => n.Url), CancellationToken.None);
        foreach (var gateway in _spec.Gateways)
        {
            _members[gateway.Name] = await InProcessNode.StartAsync(() => OriginGatewayHost.Build(gateway.Args, Embedded), CancellationToken.None);
        }
        // Last: the launcher takes an answer here for "every gateway and node of the datacenter is ready".
        var admin = BuildAdmin();
        await admin.StartAsync();
    }

    private static void Embedded(IServiceCollection services) => services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

    private WebApplication BuildAdmin()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_spec.AdminUrl);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Embedded(builder.Services);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text($"{_spec.Datacenter} ready"));
        app.MapPost("/members/{name}/{action}", async (string name, string action, HttpContext context) =>
        {
            if (!Accepts(context.Request.Headers.Authorization))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            if (!_members.TryGetValue(name, out var member))
            {
                return Results.NotFound($"datacenter {_spec.Datacenter} has no member '{name}'");
            }
            try
            {
                await (action switch
                {
                    "stop" => member.StopAsync(),
                    "kill" => member.KillAsync(),
                    "restart" => member.RestartAsync(),
                    _ => throw new ArgumentException($"unknown action '{action}' (stop, kill, restart)"),
                });
            }
            catch (Exception e) when (e is ArgumentException)
            {
                return Results.BadRequest(e.Message);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Kestrel reports an address in use as an IOException; the launcher passes the message on.
                return Results.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway);
            }
            return Results.NoContent();
        });
        return app;
    }

    private bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        return authorization is not null && authorization.StartsWith(scheme, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..])), _adminKeyHash);
    }
}
