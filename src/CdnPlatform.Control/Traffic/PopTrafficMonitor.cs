using System.Globalization;
using System.Text.Json;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Traffic;

/// <summary>
/// Reads every edge's traffic counters from its own <c>/healthz</c> (asked by its address, so no site's Host) every
/// <c>Control:Traffic:PollMilliseconds</c>, and keeps each POP's request rate and hit ratio over the last window as
/// <see cref="Pops"/>. Apart from <see cref="SiteDns.PopHealthMonitor"/>, which probes only while DNS is served and
/// decides what <c>www.</c> answers: the figures are wanted with or without DNS, and at their own pace.
/// </summary>
public sealed partial class PopTrafficMonitor(ControlOptions options, IHttpClientFactory clients, TimeProvider time, ILogger<PopTrafficMonitor> logger)
    : BackgroundService
{
    public const string HttpClientName = "pop-traffic";

    // A short interval still gives a slow edge this long to answer; it then misses a round, not every round.
    private static readonly TimeSpan MinimumDeadline = TimeSpan.FromSeconds(1);

    private volatile IReadOnlyList<PopTrafficStatus> _pops = [.. options.Edges.Select(e => PopTrafficStatus.NotPolled(e.Name, e.Url))];

    /// <summary>Every POP of <c>Control:Edges</c>, in their order, as the last round of polls left it.</summary>
    public IReadOnlyList<PopTrafficStatus> Pops => _pops;

    public TimeSpan PollInterval => options.Traffic.PollInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Traffic.Enabled)
        {
            return;
        }
        var client = clients.CreateClient(HttpClientName);
        using var timer = new PeriodicTimer(options.Traffic.PollInterval, time);
        try
        {
            do
            {
                var before = _pops;
                _pops = await Task.WhenAll(before.Select(pop => PollAsync(client, pop, stoppingToken)));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<PopTrafficStatus> PollAsync(HttpClient client, PopTrafficStatus pop, CancellationToken stoppingToken)
    {
        var deadline = options.Traffic.PollInterval > MinimumDeadline ? options.Traffic.PollInterval : MinimumDeadline;
        using var timeout = new CancellationTokenSource(deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(pop.Url), "/healthz"), linked.Token);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token);
            var countedAt = time.GetTimestamp();
            TrafficCounters? counters = null;
            try
            {
                using var health = JsonDocument.Parse(body);
                counters = TrafficCounters.TryRead(health.RootElement, out var read) ? read : null;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page, say): no counters, like an edge that has none.
            }
            return pop.Answered(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), time.GetUtcNow(), counters, countedAt,
                time.GetElapsedTime(pop.CountedAt, countedAt));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return pop.Unanswered($"no answer within {deadline.TotalMilliseconds:0} ms", time.GetUtcNow());
        }
        catch (HttpRequestException e)
        {
            Log.PollFailed(logger, pop.Name, e.Message);
            return pop.Unanswered($"{e.GetType().Name}: {e.Message}", time.GetUtcNow());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "POP {Pop} did not answer its traffic poll: {Error}")]
        public static partial void PollFailed(ILogger logger, string pop, string error);
    }
}
