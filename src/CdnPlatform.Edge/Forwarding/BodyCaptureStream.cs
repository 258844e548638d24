using System.Buffers;
using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Sits in place of the response body while the forwarder streams the origin's answer to the visitor,
/// keeping a copy of what passed so it can be stored. The visitor is never made to wait for the copy;
/// past <c>limit</c> bytes the copy is dropped and the response just streams.
/// </summary>
/// <remarks>
/// With a Content-Length the copy goes straight into a native <see cref="StoredBody"/> of that size, which becomes
/// the entry's body. Without one (chunked) it grows in pooled buffers and is copied once, at the end, into a body of
/// exactly its length: a buffer grown by doubling would hold up to twice what the store's budget counts.
/// The stream holds the body's first reference until <see cref="Release"/>.
/// <para>
/// A chunked GET is relayed (<see cref="RelayedBody"/>): the forwarder only appends, and the visitor's copy writes it
/// out. Its length is unknown, so it may pass the store's limit: then nothing is stored, the visitor's copy sends what
/// came, and the forwarder writes the rest itself, at the visitor's pace, as any answer too large to store.
/// </para>
/// <para>
/// A large answer captured into a <see cref="GrowingBody"/> is not written to the visitor by the forwarder at all: the
/// forwarder only appends, so the origin is read at its own pace, and the visitor reads the body from there
/// (<see cref="Delivery"/>) as collapsed followers do. Otherwise a visitor on a slow link would hold the origin's
/// connection open for as long as its download, and every follower behind it (as Varnish and nginx, which buffer the
/// origin's answer apart from the client, do not).
/// </para>
/// </remarks>
internal sealed class BodyCaptureStream : Stream
{
    private readonly HttpContext _visitor;
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _visitorGone;
    private StoredBody? _announced;
    private byte[]? _pending;
    private int _length;
    private GrowingBody? _shared;
    private StoredBody? _captured;
    private bool _capturing;
    private Task? _delivery;
    private RelayedBody? _relay;
    // Set once a relayed body passed the limit: the forwarder writes to the visitor itself from then on.
    private bool _handedOver;

    /// <param name="visitor">The request whose response body this stands in for (its body stream is written to).</param>
    /// <param name="idleTimeout">How long a visitor reading a <see cref="GrowingBody"/> waits for the origin's next bytes.</param>
    public BodyCaptureStream(HttpContext visitor, long limit, TimeSpan idleTimeout)
    {
        _visitor = visitor;
        // Read now: while the fill runs the request's own token is set aside (OriginFetch.OutliveVisitor).
        _visitorGone = visitor.RequestAborted;
        _inner = visitor.Response.Body;
        _limit = limit;
        _idleTimeout = idleTimeout;
    }

    /// <summary>
    /// The visitor's copy of a body captured into a <see cref="GrowingBody"/>, which may go on after the forwarder is
    /// done (a slow visitor); complete otherwise. The request is not over until it is. It never faults: a body that
    /// broke off cuts the visitor's connection, and a visitor who left is simply done.
    /// </summary>
    public Task Delivery => _delivery ?? Task.CompletedTask;

    /// <summary>Begins copying; called once the response headers say the response may be stored.</summary>
    /// <param name="relay">Whether a body without a length is read apart from the visitor (a GET's; see the remarks).</param>
    public void StartCapture(long? expectedLength, bool relay = false)
    {
        Release(); // an earlier attempt's copy, were there one, is not this answer's
        _length = 0;
        Overflowed = false;
        _handedOver = false;
        _capturing = true;
        if (expectedLength is { } length && length <= _limit && length <= Array.MaxLength)
        {
            _announced = StoredBody.Allocate((int)length);
        }
        else if (expectedLength is null && relay)
        {
            _relay = new RelayedBody();
        }
    }

    /// <summary>The origin's body ended: whole (a relayed body's visitor copy finishes) or not (it is cut off).</summary>
    public void EndOfBody(bool whole)
    {
        if (whole)
        {
            _relay?.Complete();
        }
        else
        {
            _relay?.Fail();
        }
    }

    /// <summary>
    /// Begins copying into a body that the visitor, and collapsed requests, read while it arrives (the length is known
    /// and fits). From here on the forwarder's writes only append to it.
    /// </summary>
    public void StartCapture(GrowingBody shared) => _shared = shared;

    public bool Overflowed { get; private set; }

    /// <summary>
    /// The captured body, or null when capture never started, overflowed or came short of its Content-Length. The
    /// stream keeps holding it: the caller stores it (the store takes its own reference) before <see cref="Release"/>.
    /// </summary>
    public StoredBody? Captured
    {
        get
        {
            if (_shared is not null)
            {
                return _shared.IsComplete ? _shared.Content : null;
            }
            if (!_capturing || Overflowed)
            {
                return null;
            }
            if (_announced is not null)
            {
                return _length == _announced.Length ? _announced : null;
            }
            if (_relay is not null)
            {
                return _captured ??= _relay.ToStoredBody();
            }
            // Made once: asked again, the same body (and the same reference) comes back.
            return _captured ??= StoredBody.CopyOf(_pending.AsSpan(0, _length));
        }
    }

    /// <summary>Gives back what the capture holds: a body nobody stored is freed.</summary>
    public void Release()
    {
        ReturnPending();
        Interlocked.Exchange(ref _announced, null)?.Release();
        Interlocked.Exchange(ref _captured, null)?.Release();
        // The visitor's copy holds its own: segments it still sends stay until it is done.
        Interlocked.Exchange(ref _relay, null)?.Release();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_relay is not null && !_handedOver)
        {
            return RelayAsync(buffer, cancellationToken);
        }
        if (_shared is null)
        {
            return WriteThroughAsync(buffer, cancellationToken);
        }
        if (_delivery is null)
        {
            return StartDeliveryAsync(buffer, cancellationToken);
        }
        // More than the origin announced fails the body: its readers, this visitor among them, are cut off.
        _shared.Append(buffer.Span);
        return ValueTask.CompletedTask;
    }

    private ValueTask RelayAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_length + (long)buffer.Length > _limit)
        {
            return HandOverAsync(buffer, cancellationToken);
        }
        _length += buffer.Length;
        if (_delivery is null)
        {
            return StartRelayAsync(buffer, cancellationToken);
        }
        _relay!.Append(buffer.Span);
        return ValueTask.CompletedTask;
    }

    private async ValueTask StartRelayAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        // The head first, for the reason given at StartDeliveryAsync.
        await _inner.FlushAsync(cancellationToken);
        var relay = _relay!;
        relay.Append(buffer.Span);
        if (!relay.TryAcquire())
        {
            throw new InvalidOperationException("the fill let go of its body while still appending to it");
        }
        _delivery = DeliverAsync(relay.PumpAsync, relay.Release);
    }

    // Past the store's limit: nothing is kept. The visitor's copy sends what came, then the forwarder writes the rest.
    private async ValueTask HandOverAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        Overflowed = true;
        _handedOver = true;
        _relay!.HandOver();
        if (_delivery is { } delivery)
        {
            await delivery;
        }
        // A visitor who left makes this write fail, which ends a fetch whose answer nobody will have.
        await _inner.WriteAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        Keep(buffer.Span);
    }

    // The response's head goes out before the visitor's copy starts, so the forwarder, should the origin fail later,
    // finds the response started and cuts it off: it never rewrites the head as a 502 under a body being sent.
    private async ValueTask StartDeliveryAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _inner.FlushAsync(cancellationToken);
        _shared!.Append(buffer.Span);
        // A lease of the visitor's own: its copy may outlast the fill's reference and the entry's place in the store.
        if (!_shared.TryAcquire())
        {
            throw new InvalidOperationException("the fill let go of its body while still appending to it");
        }
        _delivery = DeliverAsync(_shared.CopyToAsync, _shared.Release);
    }

    // The visitor's copy of a growing or relayed body; `release` gives back its lease when it is done.
    private async Task DeliverAsync(Func<Stream, TimeSpan, CancellationToken, Task> copy, Action release)
    {
        try
        {
            await copy(_inner, _idleTimeout, _visitorGone);
        }
        catch (IOException)
        {
            // The origin broke off mid-body, or the visitor's connection failed: a response shorter than its
            // Content-Length (or a chunked one without its last chunk) must end with its connection, so the client
            // cannot take it for whole.
            _visitor.Abort();
        }
        catch (OperationCanceledException) when (_visitorGone.IsCancellationRequested)
        {
            // The visitor left; the fill goes on for the store and the followers.
        }
        finally
        {
            release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    // With a growing or relayed body the visitor's copy writes (and so flushes) on its own; nothing of the forwarder's is pending.
    public override Task FlushAsync(CancellationToken cancellationToken) => WritesThrough ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush()
    {
        if (WritesThrough)
        {
            _inner.Flush();
        }
    }

    // A relayed body's head may go out before its first byte: no copy of the visitor's writes yet.
    private bool WritesThrough => _shared is null && (_relay is null || _handedOver || _delivery is null);

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (!_capturing || Overflowed)
        {
            return;
        }
        var capacity = _announced?.Length ?? _limit;
        if (_length + (long)bytes.Length > capacity)
        {
            // Past the limit, or more than the origin announced: nothing of it is stored.
            Overflowed = true;
            Release();
            return;
        }
        if (_announced is not null)
        {
            bytes.CopyTo(_announced.Writable[_length..]);
        }
        else
        {
            GrowPending(_length + bytes.Length);
            bytes.CopyTo(_pending.AsSpan(_length));
        }
        _length += bytes.Length;
    }

    private void GrowPending(int needed)
    {
        if (_pending is not null && _pending.Length >= needed)
        {
            return;
        }
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_pending?.Length ?? 0) * 2)));
        _pending.AsSpan(0, _length).CopyTo(next);
        ReturnPending();
        _pending = next;
    }

    private void ReturnPending()
    {
        if (Interlocked.Exchange(ref _pending, null) is { } pending)
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
