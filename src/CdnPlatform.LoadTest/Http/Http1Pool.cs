using System.Collections.Concurrent;
using System.Diagnostics;

namespace CdnPlatform.LoadTest.Http;

/// <summary>
/// At most N kept-alive <see cref="Http1Connection"/>s to one POP. A request waits for a free connection (in an open model
/// that wait is part of its latency, from its intended time), and a watchdog ticking every 50 ms closes a connection whose
/// request is past the timeout, instead of a timer per request.
/// </summary>
internal sealed class Http1Pool : IDisposable
{
    private readonly Uri _address;
    private readonly string _host;
    private readonly long _timeoutTicks;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<Http1Connection> _idle = new();
    private readonly ConcurrentDictionary<Http1Connection, byte> _all = new();
    private readonly Timer _watchdog;
    private readonly TimeProvider? _time;
    private volatile bool _disposed;

    public Http1Pool(Uri address, string host, int connections, TimeSpan timeout, TimeProvider? time = null)
    {
        _time = time;
        _address = address;
        _host = host;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _slots = new SemaphoreSlim(connections, connections);
        _watchdog = new Timer(_ => Watch(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
    }

    public async Task<Http1Answer> SendAsync(ReadOnlyMemory<byte> request, bool text, bool idempotent, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_slots.Wait(0))
        {
            await _slots.WaitAsync(cancellationToken);
        }
        Http1Connection? connection = null;
        try
        {
            if (!_idle.TryPop(out connection))
            {
                connection = new Http1Connection(_address, _host, _time);
                _all.TryAdd(connection, 0);
            }
            return await connection.SendAsync(request, text, idempotent, cancellationToken);
        }
        finally
        {
            if (connection is not null)
            {
                if (connection.Reusable && !_disposed)
                {
                    _idle.Push(connection);
                }
                else
                {
                    _all.TryRemove(connection, out _);
                    connection.Dispose();
                }
            }
            _slots.Release();
        }
    }

    /// <summary>Ends every request under way (Ctrl+C): their reads fail at once, since they are not handed a token.</summary>
    public void Abort()
    {
        foreach (var connection in _all.Keys)
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watchdog.Dispose();
        foreach (var connection in _all.Keys)
        {
            connection.Dispose();
        }
    }

    private void Watch()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var connection in _all.Keys)
        {
            var since = connection.BusySince;
            if (since != 0 && now - since > _timeoutTicks)
            {
                connection.TimeOut();
            }
        }
    }
}
