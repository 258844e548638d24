using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Coalescing;

/// <summary>
/// A response body on its way from the origin, readable while it arrives: the fill that fetches it appends, and any
/// number of collapsed requests copy what has come so far and wait for the rest, instead of waiting for the whole
/// object to land first. Its length is known up front (the origin's Content-Length), so the bytes go into one buffer
/// of that size which, once complete, is the stored entry's body as it is: no copy for the store, none for readers.
/// One writer; readers never block it.
/// </summary>
/// <remarks>
/// The buffer is a native <see cref="StoredBody"/>. The fill that made this holds its first reference and gives it
/// back with <see cref="Release"/> once the entry is stored (or not); a reader takes a lease (<see cref="TryAcquire"/>)
/// before it starts, since it may still be copying long after the fill let go and the entry was evicted.
/// </remarks>
public sealed class GrowingBody
{
    private readonly StoredBody _body;
    private readonly Lock _lock = new();
    private long _length;
    private BodyState _state;
    // Replaced on each change that a reader waits for; allocated only when one does.
    private TaskCompletionSource? _changed;

    /// <exception cref="ArgumentOutOfRangeException">The length is negative or larger than an array can be.</exception>
    public GrowingBody(long expectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedLength, Array.MaxLength);
        // Not zeroed up front (a 50 MiB body would cost its first visitor milliseconds before the first byte).
        _body = StoredBody.Allocate((int)expectedLength);
    }

    /// <summary>The length the origin announced: what a reader sends as its Content-Length.</summary>
    public long ExpectedLength => _body.Length;

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

    public bool IsComplete
    {
        get
        {
            lock (_lock)
            {
                return _state == BodyState.Complete;
            }
        }
    }

    /// <summary>The whole body, once <see cref="Complete"/> succeeded: what the stored entry holds.</summary>
    /// <exception cref="InvalidOperationException">The body is not complete.</exception>
    public StoredBody Content => IsComplete ? _body : throw new InvalidOperationException("the body is not complete");

    /// <summary>A reader's lease on the bytes, taken before it starts; false once every holder let go (read the store instead).</summary>
    public bool TryAcquire() => _body.TryAcquire();

    /// <summary>Gives back a reader's lease, or the fill's own reference.</summary>
    public void Release() => _body.Release();

    /// <summary>Adds bytes that arrived. More than the announced length fails the body (the origin broke its own framing).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            if (_state != BodyState.Growing)
            {
                return;
            }
            if (bytes.Length > _body.Length - _length)
            {
                SetState(BodyState.Failed);
                return;
            }
            // Written before the length that publishes it: a reader copies only below the length it read under the lock.
            bytes.CopyTo(_body.Writable[(int)_length..]);
            _length += bytes.Length;
            Signal();
        }
    }

    /// <summary>The origin's body ended. True if every announced byte came; otherwise the body fails.</summary>
    public bool Complete()
    {
        lock (_lock)
        {
            if (_state == BodyState.Growing)
            {
                SetState(_length == _body.Length ? BodyState.Complete : BodyState.Failed);
            }
            return _state == BodyState.Complete;
        }
    }

    /// <summary>The fetch broke off (origin error, cut connection): readers stop with an error after what they had.</summary>
    public void Fail()
    {
        lock (_lock)
        {
            if (_state == BodyState.Growing)
            {
                SetState(BodyState.Failed);
            }
        }
    }

    /// <summary>
    /// Writes the body to <paramref name="destination"/> as it arrives, to its end. The caller holds a lease (<see cref="TryAcquire"/>).
    /// </summary>
    /// <param name="idleTimeout">How long to wait for the next bytes before giving up, as the fill gives up on a silent origin.</param>
    /// <exception cref="IOException">The body failed, or nothing arrived within <paramref name="idleTimeout"/>: the reader's response is incomplete and must be cut off.</exception>
    public async Task CopyToAsync(Stream destination, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (true)
        {
            long available;
            BodyState state;
            Task? changed = null;
            lock (_lock)
            {
                available = _length;
                state = _state;
                if (available == sent && state == BodyState.Growing)
                {
                    changed = (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
            if (available > sent)
            {
                await destination.WriteAsync(_body.Bytes.Slice((int)sent, (int)(available - sent)), cancellationToken);
                sent = available;
                continue;
            }
            if (state == BodyState.Complete)
            {
                return;
            }
            if (state == BodyState.Failed)
            {
                throw new IOException($"the origin's body broke off after {sent} of {_body.Length} bytes");
            }
            try
            {
                await changed!.WaitAsync(idleTimeout, cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new IOException($"no more of the origin's body within {idleTimeout.TotalSeconds:0.#} s after {sent} of {_body.Length} bytes", e);
            }
        }
    }

    private void SetState(BodyState state)
    {
        _state = state;
        Signal();
    }

    // Under the lock: wakes every reader waiting for a change.
    private void Signal()
    {
        var changed = _changed;
        _changed = null;
        changed?.TrySetResult();
    }

    private enum BodyState
    {
        Growing,
        Complete,
        Failed,
    }
}
