using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// A body of unknown length (chunked) on its way from the origin to the visitor whose request fills the cache: the fill
/// appends at the origin's pace, and the visitor's copy (<see cref="PumpAsync"/>, one reader) writes what has come at
/// the visitor's pace. It is also the store's copy, made into the entry's body once complete (<see cref="ToStoredBody"/>).
/// </summary>
/// <remarks>
/// The bytes go into segments that never move once written, so the reader copies from them outside the lock while the
/// writer appends: a buffer grown by reallocation would move under it. Segments double from 16 KiB to 1 MiB, so a short
/// body costs one small segment and a long one few. They are native (<see cref="StoredBody"/>), freed the moment the
/// fill and the reader have both let go (<see cref="Release"/>): a pool would keep megabytes of them after one long
/// body, outside the store's budget. The caller bounds the length (the capture's limit).
/// </remarks>
internal sealed class RelayedBody
{
    private const int FirstSegmentBytes = 16 * 1024;
    private const int LargestSegmentBytes = 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly List<StoredBody> _segments = [];
    private long _length;
    private int _lastSegmentUsed;
    private RelayState _state;
    private int _holders = 1;
    // Replaced on each change the reader waits for; allocated only when it waits.
    private TaskCompletionSource? _changed;

    /// <summary>Bytes arrived so far.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
            {
                return _length;
            }
        }
    }

    /// <summary>Whether the origin's body ended whole (<see cref="Complete"/>).</summary>
    public bool IsComplete
    {
        get
        {
            lock (_lock)
            {
                return _state == RelayState.Complete;
            }
        }
    }

    /// <summary>Adds bytes that arrived. Ignored once the body ended, failed or was handed over.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            if (_state != RelayState.Growing)
            {
                return;
            }
            while (!bytes.IsEmpty)
            {
                if (_segments.Count == 0 || _lastSegmentUsed == _segments[^1].Length)
                {
                    var size = _segments.Count == 0 ? FirstSegmentBytes : Math.Min(LargestSegmentBytes, _segments[^1].Length * 2);
                    _segments.Add(StoredBody.Allocate(size));
                    _lastSegmentUsed = 0;
                }
                var room = _segments[^1].Writable[_lastSegmentUsed..];
                var part = bytes[..Math.Min(bytes.Length, room.Length)];
                // Written before the length that publishes it: the reader copies only below the length it read under the lock.
                part.CopyTo(room);
                _lastSegmentUsed += part.Length;
                _length += part.Length;
                bytes = bytes[part.Length..];
            }
            Signal();
        }
    }

    /// <summary>The origin's body ended whole: the reader finishes with what came.</summary>
    public void Complete() => End(RelayState.Complete);

    /// <summary>The fetch broke off: the reader stops with an error after what it had.</summary>
    public void Fail() => End(RelayState.Failed);

    /// <summary>
    /// No more is appended: the reader ends once it has sent what came, and the writer, once the reader's task is done,
    /// writes the rest to the visitor itself (a body past the store's limit, which is not kept).
    /// </summary>
    public void HandOver() => End(RelayState.HandedOver);

    /// <summary>The whole body as a stored body of exactly its length, once <see cref="Complete"/>; null otherwise.</summary>
    public StoredBody? ToStoredBody()
    {
        lock (_lock)
        {
            if (_state != RelayState.Complete)
            {
                return null;
            }
            if (_length == 0)
            {
                return StoredBody.Empty; // a 204's, or a chunked answer with no data: nothing native to write into
            }
            var body = StoredBody.Allocate((int)_length);
            var into = body.Writable;
            var at = 0;
            for (var i = 0; i < _segments.Count; i++)
            {
                var used = i == _segments.Count - 1 ? _lastSegmentUsed : _segments[i].Length;
                _segments[i].Bytes.Span[..used].CopyTo(into[at..]);
                at += used;
            }
            return body;
        }
    }

    /// <summary>A hold for the reader, taken before it starts; false once every holder let go.</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_holders == 0)
            {
                return false;
            }
            _holders++;
            return true;
        }
    }

    /// <summary>Gives back the fill's hold or the reader's; the last one frees the segments.</summary>
    public void Release()
    {
        StoredBody[] segments;
        lock (_lock)
        {
            if (_holders == 0 || --_holders > 0)
            {
                return;
            }
            segments = [.. _segments];
            _segments.Clear();
        }
        foreach (var segment in segments)
        {
            segment.Release();
        }
    }

    /// <summary>
    /// Writes the body to <paramref name="destination"/> from its first byte as it arrives, until it is complete or
    /// handed over. The caller holds a hold (<see cref="TryAcquire"/>).
    /// </summary>
    /// <param name="idleTimeout">How long to wait for the next bytes, as the fill waits on a silent origin.</param>
    /// <exception cref="IOException">The body failed, or nothing came within <paramref name="idleTimeout"/>.</exception>
    public async Task PumpAsync(Stream destination, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (true)
        {
            StoredBody? segment = null;
            int offset = 0, count = 0;
            RelayState state;
            Task? changed = null;
            lock (_lock)
            {
                state = _state;
                if (sent < _length)
                {
                    (segment, offset, count) = Locate(sent);
                }
                else if (state == RelayState.Growing)
                {
                    changed = (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
            if (segment is not null)
            {
                await destination.WriteAsync(segment.Bytes.Slice(offset, count), cancellationToken);
                sent += count;
                continue;
            }
            switch (state)
            {
                case RelayState.Complete or RelayState.HandedOver:
                    // Kestrel holds back what a write left below its buffer's size: out now, not when the writer next writes.
                    await destination.FlushAsync(cancellationToken);
                    return;
                case RelayState.Failed:
                    throw new IOException($"the origin's body broke off after {sent} bytes");
            }
            try
            {
                await changed!.WaitAsync(idleTimeout, cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new IOException($"no more of the origin's body within {idleTimeout.TotalSeconds:0.#} s after {sent} bytes", e);
            }
        }
    }

    // Under the lock: the run of written bytes from position `from` within its segment.
    private (StoredBody Segment, int Offset, int Count) Locate(long from)
    {
        long start = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = i == _segments.Count - 1 ? _lastSegmentUsed : _segments[i].Length;
            if (from < start + used)
            {
                var offset = (int)(from - start);
                return (_segments[i], offset, used - offset);
            }
            start += used;
        }
        throw new InvalidOperationException($"byte {from} is past the body's {_length}");
    }

    private void End(RelayState state)
    {
        lock (_lock)
        {
            if (_state == RelayState.Growing)
            {
                _state = state;
                Signal();
            }
        }
    }

    // Under the lock: wakes the reader if it waits.
    private void Signal()
    {
        var changed = _changed;
        _changed = null;
        changed?.TrySetResult();
    }

    private enum RelayState
    {
        Growing,
        Complete,
        Failed,
        HandedOver,
    }
}
