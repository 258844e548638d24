using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Cluster.Naming;

/// <summary>DNS change signals for the single-process default: every node holds the same instance.</summary>
public sealed class InMemoryDnsChangeBus : IDnsChangeBus
{
    private readonly SubscriberList<DnsChange> _subscribers;

    public InMemoryDnsChangeBus(ILogger<InMemoryDnsChangeBus>? logger = null) =>
        _subscribers = new SubscriberList<DnsChange>(logger ?? (ILogger)NullLogger.Instance);

    public string Transport => "memory";

    public Task PublishAsync(DnsChange change, CancellationToken cancellationToken = default)
    {
        _subscribers.Post(change);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(Func<DnsChange, Task> onChange, CancellationToken cancellationToken = default) =>
        Task.FromResult(_subscribers.Subscribe(onChange));
}
