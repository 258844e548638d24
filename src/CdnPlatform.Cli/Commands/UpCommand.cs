using System.CommandLine;
using System.Security.Cryptography;
using CdnPlatform.Cli.Topology;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Cli.Commands;

/// <summary><c>cdnctl up</c>: the whole network on this machine until Ctrl+C.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var apiKey = new Option<string?>("--api-key") { Description = "API key for the control plane (default: generated and printed)" };
        var redis = new Option<string?>("--redis")
        {
            Description = "auto: start redis-server for the purge log and each datacenter (DR replicating primary); HOST:PORT: carry purges through that Redis",
        };
        var originProcesses = new Option<bool>("--origin-processes")
        {
            Description = "Run every origin node in a process of its own, so it can be killed like a host (needs --redis auto)",
        };
        var manualFailover = new Option<bool>("--manual-failover")
        {
            Description = "With --redis auto: no automatic failover; a datacenter down stays active until cdnctl dc failover",
        };
        var port = new Option<int>("--port") { Description = "Port of every edge, gateway and origin node", DefaultValueFactory = _ => 8080 };
        var dnsPort = new Option<int>("--dns-port") { Description = "Port of the control plane's DNS on 127.0.0.1, UDP and TCP", DefaultValueFactory = _ => 8053 };
        var controlPort = new Option<int>("--control-port") { Description = "Port of the control plane on 127.0.0.1", DefaultValueFactory = _ => 8700 };
        var tls = new Option<bool>("--tls")
        {
            Description = "Every edge also serves HTTPS (HTTP/2 and HTTP/1.1) with a certificate from a test CA made now, whose PEM file is printed",
        };
        var tlsPort = new Option<int>("--tls-port") { Description = "With --tls: the edges' HTTPS port", DefaultValueFactory = _ => 8443 };
        var command = new Command("up", "Start the whole CDN network locally on loopback addresses")
        {
            apiKey, redis, originProcesses, manualFailover, port, controlPort, dnsPort, tls, tlsPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LocalNetworkOptions
            {
                ApiKey = parse.GetValue(apiKey) ?? GenerateApiKey(),
                Redis = parse.GetValue(redis) is { } r && r != "auto" ? r : null,
                StartRedisServers = parse.GetValue(redis) == "auto",
                OriginProcesses = parse.GetValue(originProcesses),
                AutomaticFailover = parse.GetValue(redis) == "auto" && !parse.GetValue(manualFailover),
                NodePort = parse.GetValue(port),
                ControlPort = parse.GetValue(controlPort),
                DnsPort = parse.GetValue(dnsPort),
                Tls = parse.GetValue(tls),
                TlsPort = parse.GetValue(tlsPort),
                // The datacenters' own processes log to this terminal too, each line named by its datacenter.
                DatacenterLog = (datacenter, line) => Console.WriteLine($"[{datacenter}] {line}"),
            };
            return await RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(LocalNetworkOptions options, CancellationToken cancellationToken)
    {
        LocalNetwork network;
        try
        {
            network = await LocalNetwork.StartAsync(options, cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"configuration error: {string.Join("; ", e.Failures)}");
            return 2;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"cannot start the network: {e.Message}");
            return 2;
        }
        catch (InvalidOperationException e)
        {
            // A redis-server that would not start, or a node that never got ready: the message names it.
            Console.Error.WriteLine($"could not start the network: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            // Kestrel reports an address in use as an IOException; say which and what to do.
            Console.Error.WriteLine($"could not start the network: {e.Message}");
            Console.Error.WriteLine("Is another `cdnctl up` running? Use --port / --control-port to pick other ports.");
            return 1;
        }

        await using (network)
        {
            Console.WriteLine($"CdnPlatform is up (purge transport: {network.Transport}{(options.Redis is null ? "" : " at " + options.Redis)})");
            foreach (var server in network.RedisServers)
            {
                Console.WriteLine($"  redis    {server.Role,-10} {server.Endpoint}");
            }
            foreach (var (datacenter, _, _) in options.StartRedisServers ? LocalNetwork.Datacenters : [])
            {
                // Each datacenter is one process group (gateways, nodes, its Redis): kill -KILL -PGID is a power cut.
                Console.WriteLine($"  dc       {datacenter,-10} process group {network.DatacenterProcessGroup(datacenter)}");
            }
            Console.WriteLine();
            foreach (var node in network.Nodes)
            {
                Console.WriteLine($"  {node.Role,-8} {node.Name,-10} {node.Url}");
            }
            foreach (var (pop, url) in network.EdgeHttpsUrls)
            {
                Console.WriteLine($"  https    {pop,-10} {url}");
            }
            Console.WriteLine();
            Console.WriteLine($"  site     {LocalNetwork.SiteName,-10} http://{LocalNetwork.SiteHost}/");
            var caPath = network.TlsDirectory is { } tlsDirectory ? Path.Combine(tlsDirectory, LocalNetwork.TlsCaFileName) : null;
            if (caPath is not null)
            {
                // The test CA that signed the edges' certificate: trust it for this network only (curl --cacert).
                Console.WriteLine($"  tls      {"test CA",-10} {caPath}");
            }
            Console.WriteLine($"  dns      {LocalNetwork.SiteZoneName,-10} {LocalNetwork.ControlAddress}:{network.DnsPort} (udp, tcp)");
            Console.WriteLine($"  ops      {"dashboard",-10} {network.ControlUrl}/dashboard (sign in with the api key)");
            Console.WriteLine($"  metrics  {"every node",-10} <node url>/metrics (an edge's on its address, not a site's Host)");
            Console.WriteLine($"  api key  {network.ApiKey}");
            Console.WriteLine($"  cms key  {network.CmsApiKey}");
            Console.WriteLine();
            var edge = network.EdgeNodes[0].Url;
            Console.WriteLine($"Try:  curl -si -H 'Host: {LocalNetwork.SiteHost}' {edge}/ | grep Cache-Status");
            if (caPath is not null)
            {
                var https = new Uri(network.EdgeHttpsUrls[0].Url);
                Console.WriteLine($"      curl -si --http2 --cacert {caPath} --resolve {LocalNetwork.SiteHost}:{https.Port}:{https.Host} https://{LocalNetwork.SiteHost}:{https.Port}/ | head -1");
            }
            Console.WriteLine($"      curl -s -X POST -H 'Authorization: Bearer {network.ApiKey}' -d '{{\"site\":\"{LocalNetwork.SiteName}\",\"urls\":[\"http://{LocalNetwork.SiteHost}/\"]}}' {network.ControlUrl}/v1/purge");
            var shopNode = network.Nodes.First(n => n.Role == "origin").Url;
            Console.WriteLine($"      curl -s -X POST -H 'Authorization: Bearer {network.CmsApiKey}' -H 'Content-Type: application/json' -d '{{\"price\": 299}}' {shopNode}/cms/products/101");
            Console.WriteLine($"      CDN_CONTROL={network.ControlUrl} CDN_API_KEY={network.ApiKey} cdnctl deploy --dc primary");
            Console.WriteLine($"      dig @{LocalNetwork.ControlAddress} -p {network.DnsPort} origin.{LocalNetwork.SiteZoneName}");
            // The edges resolve origin.shop.test themselves and are told to re-resolve: this moves their traffic to DR.
            Console.WriteLine($"      curl -s -X PUT -H 'Authorization: Bearer {network.ApiKey}' -d '{{\"datacenter\":\"dr\"}}' {network.ControlUrl}/v1/dns/active");
            // A client in another region, as a resolver's client subnet option says: www. answers that region's POP.
            Console.WriteLine($"      dig @{LocalNetwork.ControlAddress} -p {network.DnsPort} +subnet=198.51.100.0/24 www.{LocalNetwork.SiteZoneName}");
            if (options.StartRedisServers)
            {
                Console.WriteLine($"      CDN_CONTROL={network.ControlUrl} CDN_API_KEY={network.ApiKey} cdnctl dc kill primary   # then: cdnctl dc start primary");
            }
            Console.WriteLine("Ctrl+C stops everything.");
            await WaitForStopSignalAsync(cancellationToken);
            Console.WriteLine("Stopping…");
        }
        Console.WriteLine("Stopped.");
        return 0;
    }

    /// <summary>
    /// Waits for Ctrl+C (SIGINT) or SIGTERM and keeps the runtime from dying on it, so every node is
    /// stopped in order: edges and control before the origins they talk to.
    /// </summary>
    private static async Task WaitForStopSignalAsync(CancellationToken cancellationToken)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var signals = new StopSignals(stop);
        using var cancelled = cancellationToken.Register(() => stop.TrySetResult());
        await stop.Task;
    }

    private static string GenerateApiKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
