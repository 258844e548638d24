using CdnPlatform.Caching.Coalescing;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Sits in place of the response body while the forwarder streams the origin's answer to the visitor,
/// keeping a copy of what passed so it can be stored. The visitor is never made to wait for the copy;
/// past <c>limit</c> bytes the copy is dropped and the response just streams.
/// </summary>
internal sealed class BodyCaptureStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private MemoryStream? _copy;
    private GrowingBody? _shared;

    public BodyCaptureStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>Begins copying; called once the response headers say the response may be stored.</summary>
    public void StartCapture(long? expectedLength)
    {
        _copy = new MemoryStream(expectedLength is > 0 and <= int.MaxValue ? (int)Math.Min(expectedLength.Value, _limit) : 0);
    }

    /// <summary>Begins copying into a body that collapsed requests read while it arrives (the length is known and fits).</summary>
    public void StartCapture(GrowingBody shared) => _shared = shared;

    public bool Overflowed { get; private set; }

    /// <summary>The captured body, or null when capture never started or overflowed.</summary>
    // The explicit type matters: a bare null would convert to an empty Memory through byte[] and look captured.
    public ReadOnlyMemory<byte>? Captured =>
        _shared is { IsComplete: true } shared ? shared.Content
        : _copy is { } c && !Overflowed ? new ReadOnlyMemory<byte>(c.GetBuffer(), 0, (int)c.Length)
        : (ReadOnlyMemory<byte>?)null;

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
        if (_copy is null || Overflowed)
        {
            return;
        }
        if (_copy.Length + bytes.Length > _limit)
        {
            Overflowed = true;
            _copy = null;
            return;
        }
        _copy.Write(bytes);
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
