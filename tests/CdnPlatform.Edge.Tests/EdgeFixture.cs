using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>An edge on a real socket in front of a <see cref="TestOrigin"/>, with a clock the test moves.</summary>
public sealed class EdgeFixture : IAsyncDisposable
{
    public const string Host = "www.shop.test";

    private EdgeFixture(WebApplication edge, TestOrigin origin, FakeTimeProvider clock, InMemoryPurgeBus bus, CapturingLoggerProvider logs)
    {
        Logs = logs;
        Edge = edge;
        Origin = origin;
        Clock = clock;
        Bus = bus;
        Client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1,
            ResponseHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1,
        }) { BaseAddress = new Uri(edge.Urls.First()) };
    }

    public WebApplication Edge { get; }
    public TestOrigin Origin { get; }
    public FakeTimeProvider Clock { get; }
    public InMemoryPurgeBus Bus { get; }
    public HttpClient Client { get; }

    /// <summary>What the edge logged at Warning and above.</summary>
    public CapturingLoggerProvider Logs { get; }

    public static Task<EdgeFixture> StartAsync(string? originUrl = null, params string[] extraArgs) =>
        StartAsync(origin => ["--Edge:Sites:0:Origin", originUrl ?? origin.Url], extraArgs);

    /// <summary>An edge whose site has two origin addresses: its own <see cref="Origin"/> first, then <paramref name="nextOrigin"/>.</summary>
    public static Task<EdgeFixture> StartWithNextOriginAsync(string nextOrigin, params string[] extraArgs) =>
        StartAsync(origin => ["--Edge:Sites:0:Origins:0", origin.Url, "--Edge:Sites:0:Origins:1", nextOrigin], extraArgs);

    /// <summary>An edge whose site is an origin group: its own <see cref="Origin"/> the primary, <paramref name="failoverOrigin"/> the failover origin.</summary>
    public static Task<EdgeFixture> StartWithFailoverOriginAsync(string failoverOrigin, params string[] extraArgs) =>
        StartAsync(origin => ["--Edge:Sites:0:Origin", origin.Url, "--Edge:Sites:0:FailoverOrigin", failoverOrigin], extraArgs);

    /// <summary>An edge whose site's origins the test names (<paramref name="originArgs"/>), with services of the test's registered first.</summary>
    public static Task<EdgeFixture> StartWithOriginsAsync(string[] originArgs, Action<IServiceCollection> services, params string[] extraArgs) =>
        StartAsync(_ => originArgs, extraArgs, services);

    private static async Task<EdgeFixture> StartAsync(Func<TestOrigin, string[]> originArgs, string[] extraArgs, Action<IServiceCollection>? services = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var origin = await TestOrigin.StartAsync(clock);
        var bus = new InMemoryPurgeBus();
        var logs = new CapturingLoggerProvider();
        var edge = EdgeHost.Build(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning",
             "--Edge:Name", "test", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", Host,
             .. originArgs(origin), "--Edge:OriginConnectTimeoutSeconds", "2", .. extraArgs],
            s =>
            {
                services?.Invoke(s);
                s.AddSingleton<TimeProvider>(clock).AddSingleton<IPurgeBus>(bus).AddSingleton<ILoggerProvider>(logs);
            });
        await edge.StartAsync();
        return new EdgeFixture(edge, origin, clock, bus, logs);
    }

    /// <summary>What start-up validation says of these settings; the test fails if the edge would start.</summary>
    public static IReadOnlyCollection<string> StartupFailures(params string[] args) =>
        Assert.Throws<OptionsValidationException>(() => EdgeHost.Build(args)).Failures.ToList();

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string host = Host, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Host = host;
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, string host = Host) => SendAsync(HttpMethod.Get, pathAndQuery, host);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Edge.DisposeAsync();
        await Origin.DisposeAsync();
    }
}
