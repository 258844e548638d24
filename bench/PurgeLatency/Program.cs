// Purge propagation under load: three edges and the control plane over a real local redis-server (AOF,
// appendfsync always), edges serving traffic, a steady stream of purges. For each purge: the time from
// sending POST /v1/purge until GET /v1/purge/<id>?wait=10 (a long poll) says "done", measured from outside; and the
// control plane's own figure (propagationMs: request in → last edge's acknowledgement in, on its monotonic clock). Purges never done within 10 s are lost.
// Both are reported for the whole run (cold start included) and for the purges sent after the first --warmup seconds.
// --separate runs the network as `cdnctl up` in its own process, so the load generator shares no runtime with it.
// Usage: dotnet run -c Release --project bench/PurgeLatency -- [--seconds 60] [--rate 100] [--traffic 300] [--warmup 5] [--separate]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CdnPlatform.Cli.Topology;
using CdnPlatform.Testing;

var seconds = Arg("--seconds", 60);
var rate = Arg("--rate", 100);
// Visitor requests per second per edge: steady traffic, not a saturating flood (2 cores are shared by everything).
var traffic = Arg("--traffic", 300);
// Just-in-time compilation and thread-pool growth make a process's first seconds slower than its steady state.
var warmup = Arg("--warmup", 5);

var separate = args.Contains("--separate");
const string ApiKey = "bench-key-0123456789abcdef";

var redis = new RedisServer();
await redis.InitializeAsync();
await using var network = separate ? await SeparateNetwork.StartAsync(redis.Endpoint, ApiKey, ArgText("--cdnctl")) : await InProcessNetwork.StartAsync(redis.Endpoint, ApiKey);
using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 });
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

// The load generator warms its own code (HTTP client, JSON) first, so its first-call compilation is not
// counted as the network's latency: requests to the control plane's /healthz, and JSON handled locally.
// The network itself gets no warm-up: the first purges still meet cold edges and a cold control plane.
for (var i = 0; i < 50; i++)
{
    using var health = await client.GetAsync(network.ControlUrl + "/healthz");
    using var notAllowed = await client.PostAsync(network.ControlUrl + "/healthz", new StringContent(
        JsonSerializer.Serialize(new { site = "warm-up", urls = new[] { "http://warm-up/" } }), Encoding.UTF8, "application/json"));
    using var local = new StringContent($$"""{"id":"{{i}}","state":"done","propagationMs":1.5}""", Encoding.UTF8, "application/json");
    var parsed = await local.ReadFromJsonAsync<JsonElement>();
    _ = parsed.GetProperty("state").GetString() == "done" && parsed.GetProperty("propagationMs").ValueKind == JsonValueKind.Number;
}

// Visitors keep the edges busy with hits and misses for the whole run.
using var stop = new CancellationTokenSource();
long served = 0;
var visitors = network.EdgeUrls.Select(edgeUrl => Task.Run(async () =>
{
    using var visitorClient = new HttpClient();
    var i = 0;
    var paced = Stopwatch.StartNew();
    while (!stop.IsCancellationRequested)
    {
        var wait = TimeSpan.FromSeconds((double)i / Math.Max(1, traffic)) - paced.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{edgeUrl}/products/item-{i++ % 50}");
        request.Headers.Host = LocalNetwork.SiteHost;
        try
        {
            using var response = await visitorClient.SendAsync(request, stop.Token);
            Interlocked.Increment(ref served);
        }
        catch (OperationCanceledException)
        {
        }
    }
})).ToList();

var outside = new List<double>();
var inside = new List<double>();
var outsideWarm = new List<double>();
var insideWarm = new List<double>();
// Purges slower than the bar (10 ms from outside), by the second they were sent in: shows whether the tail
// is the first seconds of fresh processes or spread over the run.
var slowBySecond = new int[seconds + 1];
var lost = 0;
var refused = 0;
var pending = new List<Task>();
var started = Stopwatch.StartNew();
var total = seconds * rate;
for (var n = 0; n < total; n++)
{
    // Paced, not bursty: purge n leaves at n / rate seconds.
    var due = TimeSpan.FromSeconds((double)n / rate) - started.Elapsed;
    if (due > TimeSpan.Zero)
    {
        await Task.Delay(due);
    }
    var index = n;
    var warm = n >= warmup * rate;
    pending.Add(Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        var body = JsonSerializer.Serialize(new { site = LocalNetwork.SiteName, urls = new[] { $"http://{LocalNetwork.SiteHost}/products/item-{index % 50}" } });
        using var post = await client.PostAsync(network.ControlUrl + "/v1/purge", new StringContent(body, Encoding.UTF8, "application/json"));
        if (post.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            Interlocked.Increment(ref refused);
            return;
        }
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            // Long poll: the control plane answers as soon as the last edge acknowledged.
            var status = await client.GetFromJsonAsync<JsonElement>($"{network.ControlUrl}/v1/purge/{id}?wait=10");
            if (status.GetProperty("state").GetString() == "done")
            {
                var elapsed = clock.Elapsed.TotalMilliseconds;
                var propagation = status.GetProperty("propagationMs");
                lock (outside)
                {
                    outside.Add(elapsed);
                    if (elapsed > 10)
                    {
                        slowBySecond[index / rate]++;
                    }
                    if (warm)
                    {
                        outsideWarm.Add(elapsed);
                    }
                    if (propagation.ValueKind == JsonValueKind.Number)
                    {
                        inside.Add(propagation.GetDouble());
                        if (warm)
                        {
                            insideWarm.Add(propagation.GetDouble());
                        }
                    }
                }
                return;
            }
        }
        Interlocked.Increment(ref lost);
    }));
}
await Task.WhenAll(pending);
await stop.CancelAsync();
await Task.WhenAll(visitors);
await redis.DisposeAsync();

static double Percentile(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];
}

Console.WriteLine($"machine: {Environment.ProcessorCount} cores; date: {DateTime.UtcNow:yyyy-MM-dd}; {seconds} s at {rate} purges/s; transport redis (AOF, appendfsync always); network {(separate ? "in its own process (cdnctl up)" : "in the benchmark's process")}");
Console.WriteLine($"purges sent {total}, done {outside.Count}, refused {refused}, lost {lost}; visitor requests served {served} ({traffic}/s per edge asked)");
Report("whole run", outside, inside);
Report($"after the first {warmup} s", outsideWarm, insideWarm);
Console.WriteLine($"over 10 ms from outside, by second sent: {string.Join(", ", slowBySecond.Select((count, second) => (count, second)).Where(s => s.count > 0).Select(s => $"s{s.second}: {s.count}"))}");
return lost == 0 && refused == 0 ? 0 : 1;

static void Report(string part, List<double> outside, List<double> inside)
{
    Console.WriteLine($"{part}: {outside.Count} purges");
    Console.WriteLine($"  POST → status done (outside):  p50 {Percentile(outside, 50):0.00} ms  p99 {Percentile(outside, 99):0.00} ms  max {outside.DefaultIfEmpty(double.NaN).Max():0.00} ms");
    Console.WriteLine($"  request in → last ack in (inside): p50 {Percentile(inside, 50):0.00} ms  p99 {Percentile(inside, 99):0.00} ms  max {inside.DefaultIfEmpty(double.NaN).Max():0.00} ms");
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
