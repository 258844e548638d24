using CdnPlatform.Control.Audit;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.SiteDns;

/// <summary>
/// Probes every edge's <c>/healthz</c> each <see cref="ControlPopHealthOptions.ProbeSeconds"/> while the control
/// plane serves DNS, and when the set of POPs that are up changes, has <see cref="SiteDnsService"/> republish
/// <c>www.</c> over it (a higher serial, <see cref="SiteDnsService.Published"/> raised) and writes an audit line.
/// </summary>
public sealed partial class PopHealthMonitor(ControlOptions options, SiteDnsService dns, IHttpClientFactory clients, AuditLog audit,
    TimeProvider time, ILogger<PopHealthMonitor> logger) : BackgroundService
{
    public const string HttpClientName = "pop-probe";

    /// <summary>Who the audit names for a change the control plane made itself.</summary>
    public const string AuditKey = "control-plane";

    private readonly ControlPopHealthOptions _rules = options.Dns.PopHealth;
    private volatile IReadOnlyList<PopStatus> _pops = [.. options.Edges.Select(e => new PopStatus(e.Name, PopHealth.Assumed, "not probed yet"))];

    /// <summary>Every POP of <c>Control:Edges</c>, in their order, as the last round of probes left it.</summary>
    public IReadOnlyList<PopStatus> Pops => _pops;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Dns.Port == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_rules.ProbeSeconds), time);
        try
        {
            do
            {
                await ProbeAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // One round: every edge at once, each within the interval, then one decision over all of them.
    private async Task ProbeAllAsync(CancellationToken token)
    {
        var client = clients.CreateClient(HttpClientName);
        var probes = await Task.WhenAll(options.Edges.Select(edge => ProbeAsync(client, edge, token)));
        var before = _pops;
        var after = before.Select((pop, i) => pop with { Health = pop.Health.After(probes[i].Succeeded, _rules), LastProbe = probes[i].Outcome }).ToList();
        for (var i = 0; i < after.Count; i++)
        {
            if (before[i].Health.Up && !after[i].Health.Up)
            {
                Log.Down(logger, after[i].Name, after[i].Health.FailuresInARow, after[i].LastProbe);
            }
            else if (!before[i].Health.Up && after[i].Health.Up)
            {
                Log.Up(logger, after[i].Name, after[i].Health.SuccessesInARow);
            }
        }
        if (!before.Select(p => p.Health.Up).SequenceEqual(after.Select(p => p.Health.Up))
            && dns.SetHealthyPops(after.Where(p => p.Health.Up).Select(p => p.Name).ToHashSet(StringComparer.Ordinal)) is { } published)
        {
            audit.Record(new DnsAuditEntry(time.GetUtcNow(), AuditKey, "pop-health", [.. published.Zones.Select(z => z.Origin.ToString())],
                Names(before), Names(after), published.Serial));
        }
        // Last: whoever sees this round's probes sees the zones published from them.
        _pops = after;
    }

    private async Task<(bool Succeeded, string Outcome)> ProbeAsync(HttpClient client, ControlEdgeOptions edge, CancellationToken token)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_rules.ProbeSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(edge.Url), "/healthz"), linked.Token);
            return (response.IsSuccessStatusCode, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
        {
            return (false, $"no answer within {_rules.ProbeSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return (false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static string Names(IEnumerable<PopStatus> pops) => string.Join(", ", pops.Where(p => p.Health.Up).Select(p => p.Name));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "POP {Pop} is down after {Failures} failed probes ({LastProbe}): www. no longer lists it")]
        public static partial void Down(ILogger logger, string pop, int failures, string lastProbe);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "POP {Pop} is up again after {Successes} good probes: www. lists it")]
        public static partial void Up(ILogger logger, string pop, int successes);
    }
}
