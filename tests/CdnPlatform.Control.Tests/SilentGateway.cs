using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CdnPlatform.Control.Tests;

/// <summary>
/// A gateway that has stalled (a paused or cut-off datacenter): it accepts connections and reads each request's
/// first line, recorded in <see cref="RequestLines"/>, and never answers.
/// </summary>
internal sealed class SilentGateway : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _held = [];
    private readonly Task _accepting;

    public SilentGateway(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Url = $"http://{address}:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<string> RequestLines { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _held.Add(client);
                _ = ReadRequestLineAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadRequestLineAsync(TcpClient client)
    {
        try
        {
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, leaveOpen: true);
            if (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                RequestLines.Enqueue(line);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var client in _held)
        {
            client.Dispose();
        }
        _stop.Dispose();
    }
}
