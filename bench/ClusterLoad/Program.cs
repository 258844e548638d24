// The clustered origin's figures (issue 10's bar), on the whole network with real redis-servers
// (`cdnctl up --redis auto` in this process):
//   publish       100 CMS publishes, one after another; for each, the time from sending the publish until all three
//                 edges serve the new price, the publish's own answer (publish → purged at every edge, measured on
//                 the origin) and the control plane's propagation figure.
//   node-kill     steady load (default 200 req/s, 30 s) through the edges; at 10 s primary-1 (its own process)
//                 gets SIGKILL, at 20 s it starts again. Failures are counted by kind (cacheable page, cart read, cart write).
//   gateway-kill  the same with primary-gw1 (its connections cut at once) instead of a node.
//   deploy        the same with a rolling deploy of the primary datacenter (drain, restart, undrain each node) from 5 s.
// Usage: dotnet run -c Release --project bench/ClusterLoad -- <scenario> [--count 100] [--rate N] [--seconds 30] [--origin-processes]
//   --origin-processes runs every origin node in its own process (always so for node-kill): a deploy then restarts real processes.
//   --rate N runs steady visitor load (N requests/s through the edges); for publish it defaults to 0.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using ClusterLoad;

var scenario = args.FirstOrDefault() ?? "publish";
var rate = Arg("--rate", scenario == "publish" ? 0 : 200);
var seconds = Arg("--seconds", 30);

await using var network = await LocalNetwork.StartAsync(new LocalNetworkOptions
{
    ApiKey = LocalNetworkOptions.NewKey(),
    StartRedisServers = true,
    // A node that is killed is a process of its own, so SIGKILL is what a dead host does.
    OriginProcesses = scenario == "node-kill" || args.Contains("--origin-processes"),
    NodePort = 0,
    ControlPort = 0,
    DnsPort = 0,
});
using var client = new SiteClient();
var edges = network.EdgeNodes.Select(e => e.Url).ToList();
Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, scenario {scenario}, steady load {rate} req/s");

var sessions = await LogInVisitorsAsync(20);
using var stop = new CancellationTokenSource();
var load = rate > 0 ? new SteadyLoad(client, edges, sessions, rate) : null;
var loadRun = load?.RunAsync(scenario == "publish" ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(seconds), stop.Token);

switch (scenario)
{
    case "publish":
        await PublishAsync(Arg("--count", 100));
        break;
    case "node-kill":
        await KillAndRestartAsync(network.Nodes.Single(n => n.Name == "primary-1"));
        break;
    case "gateway-kill":
        await KillAndRestartAsync(network.Nodes.Single(n => n.Name == "primary-gw1"));
        break;
    case "deploy":
        await DeployAsync();
        break;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (publish, node-kill, gateway-kill, deploy)");
        return 2;
}
if (scenario != "publish")
{
    await loadRun!;
}

if (load is not null)
{
    await stop.CancelAsync();
    try { await loadRun!; } catch (OperationCanceledException) { }
    Console.WriteLine($"steady load over {load.Elapsed.TotalSeconds:0} s:");
    foreach (var line in load.Report())
    {
        Console.WriteLine(line);
    }
}
return 0;

async Task PublishAsync(int count)
{
    var primaryNode = network.Nodes.First(n => n.Role == "origin" && n.Name.StartsWith("primary", StringComparison.Ordinal)).Url;
    var toFresh = new List<double>();
    var answered = new List<double>();
    var answerSeen = new List<double>();
    var refetch = new List<double>();
    var propagation = new List<double>();
    var notFresh = 0;
    for (var i = 0; i < count; i++)
    {
        var productId = 101 + i % 24;
        // Every edge holds the page as a fresh hit before the publish, as on a busy shop.
        foreach (var edge in edges)
        {
            using var warm = await client.GetAsync(edge, $"/products/{productId}");
        }

        var price = (10m + i).ToString("0.00", CultureInfo.InvariantCulture);
        var started = Stopwatch.GetTimestamp();
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"{primaryNode}/cms/products/{productId}")
        {
            Content = new StringContent($$"""{"price": {{price}}}""", Encoding.UTF8, "application/json"),
        };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", network.CmsApiKey);
        using var answer = await client.SendRawAsync(publish);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        var purge = body.GetProperty("purge");
        if (purge.GetProperty("state").GetString() != "purged")
        {
            Console.WriteLine($"publish {i}: purge {purge}");
            notFresh++;
            continue;
        }

        var answeredAt = Stopwatch.GetTimestamp();
        var fresh = await Task.WhenAll(edges.Select(async edge =>
        {
            using var page = await client.GetAsync(edge, $"/products/{productId}");
            return (await page.Content.ReadAsStringAsync()).Contains($"data-product-id=\"{productId}\">€{price}<", StringComparison.Ordinal);
        }));
        if (fresh.All(f => f))
        {
            toFresh.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            answerSeen.Add(Stopwatch.GetElapsedTime(started, answeredAt).TotalMilliseconds);
            refetch.Add(Stopwatch.GetElapsedTime(answeredAt).TotalMilliseconds);
            answered.Add(purge.GetProperty("ms").GetDouble());
            propagation.Add(purge.GetProperty("propagationMs").GetDouble());
        }
        else
        {
            notFresh++;
        }
    }

    Console.WriteLine($"publish → new price at all 3 edges (client):     {Percentiles.Summary(toFresh)}");
    // The first publishes meet code no request has run yet in this process (JIT); the rest is the steady state.
    Console.WriteLine($"  the same without the first 10 publishes:        {Percentiles.Summary([.. toFresh.Skip(10)])}");
    Console.WriteLine($"  of which the publish's answer (client):          {Percentiles.Summary(answerSeen)}");
    Console.WriteLine($"  and the three edges' re-fetch after it:          {Percentiles.Summary(refetch)}");
    Console.WriteLine($"publish → purged at every edge (origin's answer): {Percentiles.Summary(answered)}");
    Console.WriteLine($"control plane propagation (accept → last ack):    {Percentiles.Summary(propagation)}");
    Console.WriteLine($"publishes not fresh at every edge right after the answer: {notFresh}");
}

async Task KillAndRestartAsync(NetworkNode node)
{
    await WaitUntilAsync(TimeSpan.FromSeconds(10));
    await network.KillNodeAsync(node.Url);
    Console.WriteLine($"{load!.Elapsed.TotalSeconds,6:0.000} s  killed {node.Name}");
    await WaitUntilAsync(TimeSpan.FromSeconds(20));
    await network.RestartNodeAsync(node.Url);
    Console.WriteLine($"{load.Elapsed.TotalSeconds,6:0.000} s  {node.Name} is back");
}

async Task DeployAsync()
{
    await WaitUntilAsync(TimeSpan.FromSeconds(5));
    using var control = new HttpClient { BaseAddress = new Uri(network.ControlUrl), Timeout = TimeSpan.FromSeconds(60) };
    control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", network.ApiKey);
    var api = new CdnPlatform.Cli.Deploy.NodeApi(control);
    var deploy = new CdnPlatform.Cli.Deploy.RollingDeploy(api, new CdnPlatform.Cli.Deploy.ControlPlaneRestart(api), TimeSpan.FromSeconds(60),
        TimeProvider.System, step => Console.WriteLine($"{load!.Elapsed.TotalSeconds,6:0.000} s  {step.Message}"));
    var deployed = await deploy.RunAsync("primary", CancellationToken.None);
    Console.WriteLine($"{load!.Elapsed.TotalSeconds,6:0.000} s  rolling deploy {(deployed ? "done" : "FAILED")}");
}

async Task WaitUntilAsync(TimeSpan at)
{
    while (load!.Elapsed < at)
    {
        await Task.Delay(20);
    }
}

async Task<IReadOnlyList<string>> LogInVisitorsAsync(int count)
{
    var cookies = new List<string>();
    for (var i = 1; i <= count; i++)
    {
        var email = $"visitor-{i:000}@shop.test";
        using var login = await client.PostFormAsync(edges[i % edges.Count], "/account/login", null,
            [new("email", email), new("password", $"visitor-{i:000}-pass")]);
        login.EnsureSuccessStatusCode();
        cookies.Add(login.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
    }
    return cookies;
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
