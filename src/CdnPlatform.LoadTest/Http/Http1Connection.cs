using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace CdnPlatform.LoadTest.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a POP: writes a request given as bytes, reads the answer's head and body, and
/// keeps only what a load test looks at (status, Cache-Status, X-Served-By, Set-Cookie, the body's length or text).
/// It exists because HttpClient costs about 110 µs of CPU per request on these machines against wrk's 20: on a 2-core
/// machine shared with the server, the generator's own cost is the server's lost throughput (bench/RESULTS.md).
/// Not a general client: no 1xx, trailers ignored, no pipelining; the edges are HTTP/1.1 servers we control.
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private const int MaxHead = 64 * 1024;
    private readonly Uri _address;
    private readonly string _tlsHost;
    private readonly TimeProvider _time;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private Socket? _socket;
    private Stream? _stream;
    private Socket? _plain;
    private volatile bool _timedOut;
    private long _busySince;

    /// <param name="time">The clock of the answers' send and end times; the load's own, so they compare with its intended times.</param>
    public Http1Connection(Uri address, string tlsHost, TimeProvider? time = null)
    {
        _address = address;
        _tlsHost = tlsHost;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>When the request under way was started (a Stopwatch timestamp); 0 when idle. Read by the pool's watchdog.</summary>
    public long BusySince => Interlocked.Read(ref _busySince);

    /// <summary>The connection may carry another request.</summary>
    public bool Reusable { get; private set; }

    /// <summary>Sends one request and reads its answer.</summary>
    /// <param name="retryIfStale">The request may be sent again (a GET): a kept-alive connection the server closed while idle is retried once on a new one.</param>
    /// <exception cref="TimeoutException">The pool's watchdog gave up on it.</exception>
    /// <exception cref="IOException">The connection broke.</exception>
    /// <exception cref="SocketException">It could not be opened.</exception>
    /// <param name="cancellationToken">Cancels the connect only: reads and writes are not handed a token (a registration per
    /// call costs more than the rest of a small request); the pool's watchdog and its disposal end them instead.</param>
    public async Task<Http1Answer> SendAsync(ReadOnlyMemory<byte> request, bool text, bool retryIfStale, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _busySince, System.Diagnostics.Stopwatch.GetTimestamp());
        try
        {
            if (_timedOut || !Reusable)
            {
                // The watchdog fired just as the last request ended, or the last answer ended the connection
                // (Connection: close, a body without a length): this socket is done.
                Close();
            }
            var reused = _stream is not null;
            if (reused && !retryIfStale && ClosedByServer())
            {
                // The server closed this connection while it sat idle in the pool (its keep-alive timeout: Kestrel's
                // 130 s, nginx's 75 s; at a steady rate the bottom of the pool's stack idles that long, and a burst
                // reaches it). A request that may not be sent twice goes on a new connection instead of failing after
                // the fact, as a browser checks a pooled connection before it reuses it.
                Close();
                reused = false;
            }
            if (!reused)
            {
                await ConnectAsync(cancellationToken);
            }
            try
            {
                var sent = _time.GetTimestamp();
                await WriteAsync(request);
                return await ReadAnswerAsync(text, sent);
            }
            catch (StaleConnectionException) when (reused && retryIfStale)
            {
                Close();
                await ConnectAsync(cancellationToken);
                var sent = _time.GetTimestamp();
                await WriteAsync(request);
                return await ReadAnswerAsync(text, sent);
            }
        }
        catch (Exception e) when (_timedOut && e is not TimeoutException)
        {
            Close();
            throw new TimeoutException("no whole answer within the request timeout", e);
        }
        catch (StaleConnectionException e)
        {
            Close();
            throw new IOException("the connection was closed before an answer came", e);
        }
        catch
        {
            Close();
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _busySince, 0);
        }
    }

    /// <summary>The watchdog's verdict: the request under way took too long. Closing the socket ends its pending read.</summary>
    public void TimeOut()
    {
        _timedOut = true;
        _socket?.Dispose();
    }

    public void Dispose() => Close();

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _timedOut = false;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        await socket.ConnectAsync(_address.Host, _address.Port, cancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (_address.Scheme == Uri.UriSchemeHttps)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _tlsHost }, cancellationToken);
            stream = tls;
        }
        _stream = stream;
        _plain = stream is NetworkStream ? socket : null;
        _start = _end = 0;
        Reusable = true;
    }

    /// <summary>
    /// Whether the idle connection can no longer carry a request: the server's close (or anything else unasked for) is
    /// waiting to be read. One poll with no wait; only a request that cannot be retried pays it.
    /// </summary>
    private bool ClosedByServer()
    {
        try
        {
            return _start != _end || _socket is null || _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private void Close()
    {
        Reusable = false;
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
        _plain = null;
        _start = _end = 0;
    }

    // Plain HTTP goes to the socket itself, without the stream's layer; TLS through the SslStream.
    private async ValueTask WriteAsync(ReadOnlyMemory<byte> request)
    {
        if (_plain is { } socket)
        {
            while (!request.IsEmpty)
            {
                var sent = await socket.SendAsync(request, SocketFlags.None);
                request = request[sent..];
            }
        }
        else
        {
            await _stream!.WriteAsync(request);
        }
    }

    private async Task<Http1Answer> ReadAnswerAsync(bool text, long sent)
    {
        int headEnd;
        var first = true;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxHead)
            {
                throw new IOException($"the answer's head is over {MaxHead} bytes");
            }
            if (await FillAsync() == 0)
            {
                // Nothing at all came back on a kept-alive connection: the server closed it while it was idle.
                throw first && _end == _start ? new StaleConnectionException() : new IOException("the connection closed in the answer's head");
            }
            first = false;
        }
        var head = Http1Head.Parse(_buffer.AsSpan(_start, headEnd));
        _start += headEnd + 4;
        if (head.Close)
        {
            Reusable = false;
        }
        var bodyless = head.Status is 204 or 304 || head.Status < 200;
        var body = text && !bodyless ? new MemoryStream() : null;
        long bytes = 0;
        if (bodyless)
        {
        }
        else if (head.Chunked)
        {
            bytes = await ReadChunkedAsync(body);
        }
        else if (head.ContentLength is { } length)
        {
            bytes = await ReadBytesAsync(length, body);
        }
        else
        {
            // No length and not chunked: the body runs to the end of the connection.
            bytes = await ReadBytesAsync(long.MaxValue, body);
            Reusable = false;
        }
        // The answer ended with its last byte read, not when the tool has done with it: the latencies end here too.
        var ended = _time.GetTimestamp();
        return new Http1Answer(head.Status, head.CacheStatus, head.ServedBy, head.SetCookies, bytes,
            body is null ? null : Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length), _time.GetElapsedTime(sent, ended), ended);
    }

    private async ValueTask<long> ReadBytesAsync(long length, MemoryStream? body)
    {
        long read = 0;
        while (read < length)
        {
            if (_end == _start && await FillAsync() == 0)
            {
                if (length == long.MaxValue)
                {
                    return read;
                }
                throw new IOException($"the connection closed {read} bytes into a body of {length}");
            }
            var take = (int)Math.Min(_end - _start, length - read);
            body?.Write(_buffer, _start, take);
            _start += take;
            read += take;
        }
        return read;
    }

    private async Task<long> ReadChunkedAsync(MemoryStream? body)
    {
        long total = 0;
        while (true)
        {
            var line = await ReadLineAsync();
            var semicolon = line.IndexOf(';');
            var sizeText = (semicolon < 0 ? line : line[..semicolon]).Trim();
            if (!long.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new IOException($"a chunk size that is not hexadecimal: '{line}'");
            }
            if (size == 0)
            {
                // Trailers, if any, up to the empty line that ends the message.
                while ((await ReadLineAsync()).Length > 0)
                {
                }
                return total;
            }
            total += await ReadBytesAsync(size, body);
            if ((await ReadLineAsync()).Length != 0)
            {
                throw new IOException("a chunk that does not end with CRLF");
            }
        }
    }

    private async ValueTask<string> ReadLineAsync()
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxHead || await FillAsync() == 0)
            {
                throw new IOException("the connection closed in a chunked body");
            }
        }
        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    /// <summary>Reads more into the buffer after what is unread (moved to the front first, the buffer doubled when full).</summary>
    private async ValueTask<int> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int read;
        if (_plain is { } socket)
        {
            if (!DispatcherReadWindow.TryReceive(socket, _buffer.AsSpan(_end), out read))
            {
                read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            }
        }
        else
        {
            read = await _stream!.ReadAsync(_buffer.AsMemory(_end));
        }
        _end += read;
        return read;
    }

    private sealed class StaleConnectionException : Exception;
}
