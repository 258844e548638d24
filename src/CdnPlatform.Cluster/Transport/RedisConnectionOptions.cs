using StackExchange.Redis;

namespace CdnPlatform.Cluster.Transport;

/// <summary>
/// How every node connects to Redis: the StackExchange.Redis configuration string from <c>Cluster:Redis</c>,
/// over the settings below. A setting the string names wins (a test may shorten <c>connectTimeout</c>).
/// </summary>
public static class RedisConnectionOptions
{
    private static readonly string Defaults = string.Join(',',
        // A node comes up, and keeps reconnecting, while Redis is away: operations fail one by one, not the process.
        "abortConnect=false",
        // Redis sits beside the nodes: a connect that takes over 2 s is not coming, and the next attempt should start.
        "connectTimeout=2000",
        // A purge waits at most 3 s on a Redis that holds the socket but does not answer, then gets 503; a write
        // is one local fsync, milliseconds when Redis is well.
        "syncTimeout=3000",
        "asyncTimeout=3000",
        // Idle connections (an edge's subscription between purges) are pinged every 10 s, so one to a host that
        // vanished without a reset is found dead in seconds rather than a minute.
        "keepAlive=10");

    /// <exception cref="ArgumentException">The string does not parse; the message says what is wrong with it.</exception>
    public static ConfigurationOptions Parse(string configuration)
    {
        // Later keys override earlier ones, so what the string names replaces the default.
        var options = ConfigurationOptions.Parse(Defaults + "," + configuration);
        // First retry after about 250 ms, then backing off to one attempt every 5 s: a restarted Redis is in use
        // again within a second, and a long outage costs each node one connect every few seconds.
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        // Without a connection a command fails at once (the purge API answers 503, a follower retries on its
        // next round) instead of queueing until its timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
