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
/// </remarks>
internal sealed class BodyCaptureStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private StoredBody? _announced;
    private byte[]? _pending;
    private int _length;
    private GrowingBody? _shared;
    private StoredBody? _captured;
    private bool _capturing;

    public BodyCaptureStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>Begins copying; called once the response headers say the response may be stored.</summary>
    public void StartCapture(long? expectedLength)
    {
        Release(); // an earlier attempt's copy, were there one, is not this answer's
        _length = 0;
        Overflowed = false;
        _capturing = true;
        if (expectedLength is { } length && length <= _limit && length <= Array.MaxLength)
        {
            _announced = StoredBody.Allocate((int)length);
        }
    }

    /// <summary>Begins copying into a body that collapsed requests read while it arrives (the length is known and fits).</summary>
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
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken);
        Keep(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Keep(buffer.AsSpan(offset, count));
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_shared is not null)
        {
            // More than the origin announced fails the shared body (its readers stop); the forwarder fails too.
            _shared.Append(bytes);
            return;
        }
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
