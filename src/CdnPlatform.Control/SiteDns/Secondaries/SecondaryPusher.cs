using CdnPlatform.Control.Configuration;
using CdnPlatform.Dns.Updating;

namespace CdnPlatform.Control.SiteDns.Secondaries;

/// <summary>
/// Gives every external server of <c>Control:Dns:Secondaries</c> the zones as <see cref="SiteDnsService"/>
/// publishes them: at start-up, then after every change, each server on its own link so one that is down
/// holds up no other.
/// </summary>
public sealed class SecondaryPusher : IHostedService, IDisposable
{
    private readonly SiteDnsService _dns;
    private readonly IReadOnlyList<SecondaryLink> _links;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _running = [];

    public SecondaryPusher(ControlOptions options, SiteDnsService dns, IDnsUpdateSender sender, TimeProvider time, ILogger<SecondaryPusher> logger)
    {
        _dns = dns;
        _links = [.. options.Dns.Secondaries.Select(s => new SecondaryLink(s, sender, time, logger))];
    }

    /// <summary>Each secondary's state, in the order of <c>Control:Dns:Secondaries</c>.</summary>
    public IReadOnlyList<SecondaryState> States => [.. _links.Select(l => l.State)];

    /// <summary>Runs after <see cref="SiteDnsService"/> has started (it is registered first), so the start-up zones are there.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_links.Count == 0)
        {
            return Task.CompletedTask;
        }
        // Subscribed before reading Current: a change in between is offered twice, which the links ignore.
        _dns.Published += Offer;
        if (_dns.Current is { } current)
        {
            Offer(current);
        }
        _running = [.. _links.Select(link => Task.Run(() => link.RunAsync(_stopping.Token), CancellationToken.None))];
        return Task.CompletedTask;
    }

    private void Offer(ZonesPublished zones)
    {
        foreach (var link in _links)
        {
            link.Offer(zones);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _dns.Published -= Offer;
        await _stopping.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();
}
