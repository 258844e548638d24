using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CdnPlatform.Cluster.Tests;

public sealed class ClusterOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void NoSection_DefaultsToMemoryTransport() => Assert.Equal("memory", ClusterOptions.Bind(Config()).Transport);

    [Fact]
    public void UnknownTransport_IsRefused_NamingTheKey()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ClusterOptions.Bind(Config(("Cluster:Transport", "kafka"))));
        Assert.Contains("Cluster:Transport", e.Message);
        Assert.Contains("kafka", e.Message);
    }

    [Fact]
    public void RedisTransportWithoutAddress_IsRefused_NamingTheKey()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ClusterOptions.Bind(Config(("Cluster:Transport", "redis"))));
        Assert.Contains("Cluster:Redis", e.Message);
    }

    [Fact]
    public void RedisTransportWithAddress_Binds()
    {
        var options = ClusterOptions.Bind(Config(("Cluster:Transport", "redis"), ("Cluster:Redis", "127.0.0.1:6379")));
        Assert.Equal("127.0.0.1:6379", options.Redis);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,connectTimeout=soon")]
    [InlineData("127.0.0.1:6379,noSuchSetting=1")]
    [InlineData("connectTimeout=1000")]
    public void RedisConfigurationThatDoesNotParse_IsRefused_NamingTheKey(string redis)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ClusterOptions.Bind(Config(("Cluster:Transport", "redis"), ("Cluster:Redis", redis))));
        Assert.Contains("Cluster:Redis", e.Message);
    }
}
