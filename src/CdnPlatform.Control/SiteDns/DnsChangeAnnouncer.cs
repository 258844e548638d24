using System.Threading.Channels;
using CdnPlatform.Cluster.Naming;

namespace CdnPlatform.Control.SiteDns;

/// <summary>
/// Tells the edges, on the cluster bus, each time <see cref="SiteDnsService"/> publishes changed zones, so they
/// re-resolve at once instead of when the origin TTL runs out. <see cref="SiteDnsService.Published"/> is raised
/// under the change lock, so the handler only queues; a loop sends, in order. A send that fails is logged and
/// dropped: the TTL still brings the change to every edge.
/// </summary>
/// <remarks>
/// The zones served at start are announced too, once the host has started (the DNS server listens by then). A
/// control plane that was away left the edges' lookups failing: they serve on with their last answers, stale, and
/// ask again only every 30 s (RFC 8767's stale TTL). The announcement has them ask at once, so a change made just
/// after the return is not the first thing they hear, and their answers are fresh again within a second.
/// </remarks>
public sealed partial class DnsChangeAnnouncer(SiteDnsService dns, IDnsChangeBus bus, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<DnsChangeAnnouncer> logger) : BackgroundService
{
    private readonly Channel<DnsChange> _queue = Channel.CreateUnbounded<DnsChange>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the host finishes starting: no change made through the API can come earlier.
        dns.Published += OnPublished;
        lifetime.ApplicationStarted.Register(() =>
        {
            if (dns.Current is { } served)
            {
                OnPublished(served);
            }
        });
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        dns.Published -= OnPublished;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private void OnPublished(ZonesPublished published) =>
        _queue.Writer.TryWrite(new DnsChange([.. published.Zones.Select(z => z.Origin.ToString())], published.Serial, time.GetUtcNow()));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await bus.PublishAsync(change, stoppingToken);
                    Log.Announced(logger, string.Join(", ", change.Zones), change.Serial, bus.Transport);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.Lost(logger, string.Join(", ", change.Zones), change.Serial, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Told the edges to re-resolve {Zones} (serial {Serial}) over {Transport}")]
        public static partial void Announced(ILogger logger, string zones, uint serial, string transport);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not tell the edges to re-resolve {Zones} (serial {Serial}): {Reason}; they see the change when the TTL runs out")]
        public static partial void Lost(ILogger logger, string zones, uint serial, string reason);
    }
}
