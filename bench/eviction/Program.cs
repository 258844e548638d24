// Replays synthetic Zipf traces through the real MemoryCacheStore under CLOCK and S3-FIFO, beside an LRU
// yardstick, and prints the object and byte hit ratios as a markdown table. Seeded: the same arguments give
// the same table. Usage (bench/eviction.sh builds and runs it):
//   dotnet run -c Release --project bench/eviction -- [--objects 100000] [--requests 4000000] [--seed 14]
using System.Diagnostics;
using System.Globalization;
using CdnPlatform.Bench.Eviction;
using CdnPlatform.Caching.Eviction;

var objects = Argument("--objects", 100_000);
var requests = Argument("--requests", 4_000_000);
var seed = Argument("--seed", 14);
const double MedianBytes = 10 * 1024;
const double Sigma = 1.5;
double[] alphas = [0.8, 1.0];
double[] cacheShares = [0.01, 0.05, 0.10];

var catalogue = Catalogue.Generate(objects, MedianBytes, Sigma, new Random(seed));
// What each object costs a budget: the store's own weighing (body, headers, bookkeeping), used for LRU too.
var cost = Enumerable.Range(0, objects).Select(id => StoreReplay.Entry(catalogue, id).Size).ToArray();
var distinctBytes = cost.Sum();
var bodies = catalogue.BodyBytes.Order().ToArray();

Console.WriteLine($"{objects:N0} objects, {Mib(distinctBytes)} MiB as the store weighs them; body sizes log-normal, median {MedianBytes / 1024:0} KiB, σ {Sigma}, " +
                  $"clamped to {Catalogue.MinBodyBytes} B..{Catalogue.MaxBodyBytes / 1024 / 1024} MiB (drawn: median {bodies[objects / 2] / 1024.0:0.0} KiB, mean {bodies.Average() / 1024:0.0} KiB, " +
                  $"p99 {bodies[(int)(objects * 0.99)] / 1024.0:0} KiB, max {bodies[^1] / 1024.0:0} KiB)");
Console.WriteLine($"{requests:N0} requests per trace, independent Zipf draws; seed {seed}; hit ratios over every request, the cold start included");
Console.WriteLine();
Console.WriteLine("| Zipf α | cache (% of distinct bytes) | LRU obj | CLOCK obj | S3-FIFO obj | LRU byte | CLOCK byte | S3-FIFO byte |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
var timer = Stopwatch.StartNew();
for (var a = 0; a < alphas.Length; a++)
{
    var trace = ZipfTrace.Generate(objects, alphas[a], requests, new Random(seed + 1 + a));
    foreach (var share in cacheShares)
    {
        var capacity = (long)(distinctBytes * share);
        var lru = new LruYardstick(capacity);
        var lruCount = new HitCount();
        foreach (var id in trace)
        {
            lruCount.Count(lru.Request(id, cost[id]), catalogue.BodyBytes[id]);
        }
        var clock = StoreReplay.Run(catalogue, trace, capacity, EvictionPolicy.Clock);
        var s3Fifo = StoreReplay.Run(catalogue, trace, capacity, EvictionPolicy.S3Fifo);
        Console.WriteLine($"| {alphas[a]:0.0} | {share * 100:0} % ({Mib(capacity)} MiB) | {Percent(lruCount.ObjectHitRatio)} | {Percent(clock.ObjectHitRatio)} | {Percent(s3Fifo.ObjectHitRatio)} " +
                          $"| {Percent(lruCount.ByteHitRatio)} | {Percent(clock.ByteHitRatio)} | {Percent(s3Fifo.ByteHitRatio)} |");
    }
}
Console.WriteLine();
Console.WriteLine($"replayed in {timer.Elapsed.TotalSeconds:0} s");

int Argument(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture);

static string Percent(double ratio) => (ratio * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
