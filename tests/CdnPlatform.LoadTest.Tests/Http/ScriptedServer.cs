using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.LoadTest.Tests.Http;

/// <summary>
/// A TCP server on loopback that answers with bytes the test writes itself, so the client meets exactly the framing
/// under test (chunks, a closed connection, no length at all) rather than what Kestrel happens to send.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedConnection, Task> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    /// <param name="handle">Runs once per accepted connection, with its number (0 for the first).</param>
    public ScriptedServer(Func<ScriptedConnection, Task> handle)
    {
        _handle = handle;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A server that answers every request on every connection with <paramref name="response"/>, as written.</summary>
    public static ScriptedServer AnsweringEvery(string response) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.WriteAsync(response);
        }
    });

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connections) - 1;
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await _handle(new ScriptedConnection(client.GetStream(), number, _stop.Token));
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                }
            });
        }
    }
}
