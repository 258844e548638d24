using CdnPlatform.Cluster.Naming;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Cluster.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CdnPlatform.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the transport named by <paramref name="options"/>. A bus (purge or DNS change) registered before this call wins:
    /// that is how <c>cdnctl up</c> hands one in-memory bus to every node of the process.
    /// </summary>
    public static IServiceCollection AddCdnCluster(this IServiceCollection services, ClusterOptions options)
    {
        services.AddSingleton(options);
        if (options.Transport == "redis")
        {
            services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(options.Redis!));
            services.TryAddSingleton<IPurgeBus>(sp => new RedisPurgeBus(
                sp.GetRequiredService<IConnectionMultiplexer>(), options.KeyPrefix, sp.GetService<ILogger<RedisPurgeBus>>()));
            services.TryAddSingleton<IDnsChangeBus>(sp => new RedisDnsChangeBus(
                sp.GetRequiredService<IConnectionMultiplexer>(), options.KeyPrefix, sp.GetService<ILogger<RedisDnsChangeBus>>()));
        }
        else
        {
            services.TryAddSingleton<IPurgeBus, InMemoryPurgeBus>();
            services.TryAddSingleton<IDnsChangeBus, InMemoryDnsChangeBus>();
        }
        return services;
    }

    private static ConnectionMultiplexer ConnectRedis(string configuration) =>
        ConnectionMultiplexer.Connect(RedisConnectionOptions.Parse(configuration));
}
