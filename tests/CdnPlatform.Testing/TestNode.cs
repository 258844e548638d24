using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Testing;

/// <summary>
/// An origin node on loopback that misbehaves on the test's word: its readiness (<c>/healthz</c>), cutting
/// connections, holding requests. Every other request reads the whole request, then answers with its name in
/// <c>X-Served-By</c>. Requests carrying <c>X-Request-Id</c> are remembered, to tell which node had which.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string RequestIdHeader = "X-Request-Id";

    private readonly ConcurrentDictionary<string, byte> _received = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _healthStatus = StatusCodes.Status200OK;
    private volatile bool _cutsConnections;
    private volatile bool _healthStalls;
    private volatile int _answerStatus = StatusCodes.Status200OK;
    private volatile bool _holdsRequests;
    private int _requests;
    private int _openConnections;
    private int _openVisitorConnections;
    private volatile string? _lastHost;

    private TestNode(string name) => Name = name;

    public string Name { get; }

    public RunningHost Host { get; private set; } = null!;

    /// <summary>What <c>/healthz</c> answers: 503 says the node is not ready.</summary>
    public int HealthStatus { get => _healthStatus; set => _healthStatus = value; }

    /// <summary>When set, <c>/healthz</c> is never answered (until the prober gives up), as a paused host's.</summary>
    public bool HealthStalls { get => _healthStalls; set => _healthStalls = value; }

    /// <summary>
    /// When set, every request (but <c>/healthz</c>) is read and then its connection aborted, as a crashing node
    /// would; a held request too, once released.
    /// </summary>
    public bool CutsConnections { get => _cutsConnections; set => _cutsConnections = value; }

    /// <summary>The status of every answer but <c>/healthz</c>: a 5xx here is a node failing requests while its probe says it is fine.</summary>
    public int AnswerStatus { get => _answerStatus; set => _answerStatus = value; }

    /// <summary>When set, <c>/hold</c> requests wait until <see cref="Release"/>; on other nodes they answer at once.</summary>
    public bool HoldsRequests { get => _holdsRequests; set => _holdsRequests = value; }

    /// <summary>Requests that reached the node, <c>/healthz</c> aside.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes once a <c>/hold</c> request is waiting here.</summary>
    public Task Holding => _holding.Task;

    /// <summary>Client connections open to the node right now, keep-alive ones between requests included.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>
    /// Of <see cref="OpenConnections"/>, those that carried a request other than <c>/healthz</c>: a health prober's
    /// connection (an edge's, a gateway's, opened whenever its first round happens to run) is not counted.
    /// </summary>
    public int OpenVisitorConnections => Volatile.Read(ref _openVisitorConnections);

    /// <summary>The Host of the last request that reached the node.</summary>
    public string? LastHost => _lastHost;

    public bool Received(string requestId) => _received.ContainsKey(requestId);

    public void Release() => _released.TrySetResult();

    /// <summary>
    /// Sends <c>/hold</c> through <paramref name="client"/> (a gateway in front of this node and others) until one
    /// is held here (nodes that do not hold answer it at once), and returns that request, still waiting for
    /// <see cref="Release"/>. The client must not time out before the test releases it.
    /// </summary>
    public async Task<Task<HttpResponseMessage>> ParkAsync(HttpClient client)
    {
        Task<HttpResponseMessage>? parked = null;
        await Eventually.TrueAsync(async () =>
        {
            var request = client.GetAsync("/hold");
            if (await Task.WhenAny(request, Holding) == request)
            {
                (await request).Dispose();
                return false;
            }
            parked = request;
            return true;
        }, () => $"no /hold request landed on {Name}");
        return parked!;
    }

    /// <param name="url">Where to listen; a free port of 127.0.0.1 by default.</param>
    public static async Task<TestNode> StartAsync(string name, bool holdsRequests = false, string url = "http://127.0.0.1:0")
    {
        var node = new TestNode(name) { HoldsRequests = holdsRequests };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref node._openConnections);
            var mark = new ConnectionMark();
            connection.Items[typeof(ConnectionMark)] = mark;
            try
            {
                await next(connection);
            }
            finally
            {
                Interlocked.Decrement(ref node._openConnections);
                if (mark.CarriedVisitors)
                {
                    Interlocked.Decrement(ref node._openVisitorConnections);
                }
            }
        })));
        var app = builder.Build();
        app.Run(node.ServeAsync);
        node.Host = await RunningHost.StartAsync(app);
        return node;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/healthz")
        {
            if (HealthStalls)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            context.Response.StatusCode = HealthStatus;
            return;
        }
        Interlocked.Increment(ref _requests);
        if (context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ConnectionMark), out var item) == true
            && item is ConnectionMark { CarriedVisitors: false } mark)
        {
            mark.CarriedVisitors = true;
            Interlocked.Increment(ref _openVisitorConnections);
        }
        _lastHost = request.Host.Value;
        // All of the request first: a node that cuts the connection afterwards has had the whole of it.
        await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        if (request.Headers[RequestIdHeader] is { Count: > 0 } id)
        {
            _received.TryAdd(id.ToString(), 0);
        }
        if (CutsConnections)
        {
            context.Abort();
            return;
        }
        if (HoldsRequests && request.Path == "/hold")
        {
            _holding.TrySetResult();
            await _released.Task.WaitAsync(context.RequestAborted);
            if (CutsConnections)
            {
                context.Abort();
                return;
            }
        }
        context.Response.StatusCode = AnswerStatus;
        context.Response.Headers["X-Served-By"] = Name;
        // Which site the request was for, as the node saw it: proxies in front must pass the visitor's Host on.
        context.Response.Headers["X-Seen-Host"] = request.Host.Value;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(Name);
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return Host.DisposeAsync();
    }

    // Whether a connection has carried a request other than /healthz; one connection's requests come one at a time.
    private sealed class ConnectionMark
    {
        public bool CarriedVisitors { get; set; }
    }
}
