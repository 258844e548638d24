using CdnPlatform.Cluster.Transport;
using StackExchange.Redis;

namespace CdnPlatform.Cluster.Tests;

public sealed class RedisConnectionOptionsTests
{
    [Fact]
    public void AnEndpointAlone_GetsTheNetworksConnectionSettings()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:6379");

        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(2000, options.ConnectTimeout);
        Assert.Equal(3000, options.SyncTimeout);
        Assert.Equal(3000, options.AsyncTimeout);
        Assert.Equal(10, options.KeepAlive);
        Assert.IsType<ExponentialRetry>(options.ReconnectRetryPolicy);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Single(options.EndPoints);
    }

    [Fact]
    public void WhatTheStringNames_WinsOverTheDefault()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:6379,connectTimeout=1000,syncTimeout=2000,abortConnect=true");

        Assert.Equal(1000, options.ConnectTimeout);
        Assert.Equal(2000, options.SyncTimeout);
        Assert.True(options.AbortOnConnectFail);
        Assert.Equal(3000, options.AsyncTimeout);
    }
}
