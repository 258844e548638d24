using CdnPlatform.Cluster.Transport;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Publishing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Where a node keeps what its datacenter shares: the datacenter's Redis when <c>Origin:Redis</c> is set,
/// otherwise memory (shared with the other nodes only if the launcher registered an <see cref="InMemoryDatacenter"/>).
/// </summary>
public static class ShopStorage
{
    /// <summary>Every node of both datacenters protects cookies under this name, so they all read each other's.</summary>
    public const string ApplicationName = "cdnplatform-shop";

    /// <summary>The log category of the output-cache package's Redis store (its type's full name), whose sweep warnings are dropped.</summary>
    public const string RenderCacheStoreLogCategory = "Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheStore";

    public static IServiceCollection AddShopStorage(this IServiceCollection services, OriginOptions options)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        if (options.Redis is { } configuration)
        {
            AddRedis(services, configuration, options.KeyPrefix);
            services.AddSingleton(sp => new StorageWatch(sp.GetRequiredService<IConnectionMultiplexer>(),
                TimeSpan.FromMilliseconds(options.StorageSilenceMilliseconds), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StorageWatch>>()));
            services.AddHostedService(sp => sp.GetRequiredService<StorageWatch>());
        }
        else
        {
            services.TryAddSingleton<IShopContent, InMemoryShopContent>();
            services.TryAddSingleton<IPurgeOutbox>(sp => new InMemoryPurgeOutbox(sp.GetRequiredService<TimeProvider>()));
            services.AddDistributedMemoryCache();
            services.AddSingleton<IDatacenterRole>(new FixedDatacenterRole(writable: !options.ReadOnly));
            services.TryAddSingleton<SharedKeyRing>();
            services.AddOptions<KeyManagementOptions>().Configure<SharedKeyRing>((o, ring) => o.XmlRepository = ring);
        }

        return services;
    }

    // The packages register their own (internal) store types; they are wrapped, not replaced, so what they do stays theirs.
    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(registered);
        services.AddSingleton(sp => wrap(sp, (TService)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
    }

    private static void AddRedis(IServiceCollection services, string configuration, string keyPrefix)
    {
        // One multiplexer per node for everything the shop keeps in Redis, made by the container so it is
        // disposed with the node; the settings are the ones every Redis user of the platform connects with.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConnectionOptions.Parse(configuration)));
        services.AddSingleton<IShopContent>(sp => new RedisShopContent(sp.GetRequiredService<IConnectionMultiplexer>(), keyPrefix));
        services.AddSingleton<IPurgeOutbox>(sp => new RedisPurgeOutbox(sp.GetRequiredService<IConnectionMultiplexer>(), keyPrefix));
        services.AddSingleton<IDatacenterRole>(sp =>
            new RedisDatacenterRole(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));

        services.AddStackExchangeRedisCache(_ => { });
        Decorate<IDistributedCache>(services, (_, cache) => new ReadOnlySafeSessionStore(cache));
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
            o.InstanceName = keyPrefix + ":session:";
        });

        services.AddStackExchangeRedisOutputCache(_ => { });
        // The package's store sweeps expired tags every ~5 minutes with a SET on the datacenter's Redis. On a standby
        // node that Redis is a read-only replica, so every sweep failed with a warning and a stack trace, forever, on
        // every node of the DR datacenter (12 in a 20-minute soak): noise that teaches ops to skip warnings. The
        // primary's sweep does the work and the replica copies it; a sweep failing on a writable Redis is the storage
        // failing, which the node's storage watch reports itself. The sweep's Error ("the loop is dead") stays.
        services.AddLogging(logging => logging.AddFilter(RenderCacheStoreLogCategory, LogLevel.Error));
        Decorate<IOutputCacheStore>(services, (sp, store) => new ForgivingRenderCache(store, sp.GetRequiredService<ILogger<ForgivingRenderCache>>()));
        services.AddOptions<RedisOutputCacheOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
            o.InstanceName = keyPrefix + ":render:";
        });

        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((o, redis) =>
            o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), keyPrefix + ":dataprotection-keys"));
    }
}
