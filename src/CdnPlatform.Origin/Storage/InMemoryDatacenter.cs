using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Publishing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// What a datacenter's Redis holds, in this process instead: content, sessions, the render cache and the
/// purge outbox. <c>cdnctl up</c> without Redis gives one to the three nodes of each datacenter, so they
/// behave as a cluster does (a visitor moved to another node keeps the session, a publish evicts everywhere).
/// </summary>
public sealed class InMemoryDatacenter
{
    private readonly IServiceProvider _renderCacheServices;

    public InMemoryDatacenter(SharedKeyRing keyRing)
    {
        KeyRing = keyRing;
        // The framework's in-memory render store is internal; a private container built the way AddOutputCache
        // builds it hands out the real thing, which the nodes then share.
        _renderCacheServices = new ServiceCollection().AddOptions().AddOutputCache().BuildServiceProvider();
        RenderCache = _renderCacheServices.GetRequiredService<IOutputCacheStore>();
    }

    public InMemoryShopContent Content { get; } = new();

    public InMemoryPurgeOutbox Outbox { get; } = new(TimeProvider.System);

    public IDistributedCache Sessions { get; } = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));

    public IOutputCacheStore RenderCache { get; }

    public SharedKeyRing KeyRing { get; }

    /// <summary>Registers this datacenter's storage for one node; the node's own registrations keep these.</summary>
    public void Register(IServiceCollection services)
    {
        services.TryAddSingleton<IShopContent>(Content);
        services.TryAddSingleton<IPurgeOutbox>(Outbox);
        services.TryAddSingleton(Sessions);
        services.TryAddSingleton(RenderCache);
        services.TryAddSingleton(KeyRing);
    }
}
