using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ClusterLoad;

/// <summary>
/// Open-loop load through the edges at a fixed rate (a request is sent when it is due, whether or not the
/// earlier ones came back, as visitors do): public pages the edges cache, and personal requests they pass
/// (reading and changing logged-in visitors' carts). Every answer that is not the expected one, and every
/// request that got no answer, is a failure, kept with the time it was sent.
/// </summary>
internal sealed class SteadyLoad(SiteClient client, IReadOnlyList<string> edges, IReadOnlyList<string> sessions, int rate)
{
    private static readonly string[] Pages =
        [.. Enumerable.Range(101, 24).Select(id => $"/products/{id}"), "/", "/category/machines", "/category/beans", "/search?q=grinder"];

    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly Stopwatch _clock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    /// <summary>One request: what it was, when it was sent (since the start), and what came back.</summary>
    public sealed record Outcome(string Kind, double SentAtSeconds, double Milliseconds, int Status, string? Error)
    {
        public bool Failed => Error is not null;
    }

    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        var sent = 0L;
        var toggles = new int[sessions.Count];
        _clock.Start();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (_clock.Elapsed < duration && !cancellationToken.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var due = (long)(_clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                var n = sent;
                // Stopping stops sending; what was sent is let finish, so the stop itself fails no request.
                inFlight.Add(Task.Run(() => OneAsync(n, toggles, CancellationToken.None), CancellationToken.None));
            }
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
    }

    private async Task OneAsync(long n, int[] toggles, CancellationToken cancellationToken)
    {
        var edge = edges[(int)(n % edges.Count)];
        var visitor = (int)(n / 7 % sessions.Count);
        var sentAt = _clock.Elapsed.TotalSeconds;
        var started = Stopwatch.GetTimestamp();
        string kind;
        Task<HttpResponseMessage> send;
        switch (n % 20)
        {
            case < 12:
                kind = "page";
                send = client.GetAsync(edge, Pages[(int)(n / 20 % Pages.Length)], cancellationToken: cancellationToken);
                break;
            case < 17:
                kind = "cart-read";
                send = client.GetAsync(edge, "/cart", sessions[visitor], json: true, cancellationToken);
                break;
            default:
                kind = "cart-write";
                // Each visitor adds a milk jug, then takes it out again, so carts never outgrow the stock.
                var quantity = Interlocked.Increment(ref toggles[visitor]) % 2 == 1 ? "1" : "0";
                send = client.PostFormAsync(edge, "/cart", sessions[visitor],
                    [new("productId", "110"), new("quantity", quantity)], cancellationToken);
                break;
        }

        try
        {
            using var response = await send;
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _outcomes.Add(new Outcome(kind, sentAt, ms, (int)response.StatusCode,
                response.StatusCode == HttpStatusCode.OK ? null : $"status {(int)response.StatusCode}"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            _outcomes.Add(new Outcome(kind, sentAt, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, e.GetType().Name + ": " + e.Message));
        }
    }

    /// <summary>A line per kind: requests, failures, latency; and the failures themselves (at most ten).</summary>
    public IEnumerable<string> Report()
    {
        foreach (var group in _outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var failed = group.Count(o => o.Failed);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {group.Key,-10} {group.Count(),6} requests, {failed,4} failed; {Percentiles.Summary([.. group.Select(o => o.Milliseconds)])}");
        }
        foreach (var failure in _outcomes.Where(o => o.Failed).OrderBy(o => o.SentAtSeconds).Take(10))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"    failed {failure.Kind} sent at {failure.SentAtSeconds:0.000} s: {failure.Error}");
        }
    }
}
