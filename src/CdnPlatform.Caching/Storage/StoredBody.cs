using System.Buffers;
using System.Runtime.InteropServices;

namespace CdnPlatform.Caching.Storage;

/// <summary>
/// A stored response's bytes. The bodies a cache fills live outside the garbage-collected heap, in native memory
/// that goes back the moment the last holder lets go: a cache is a generational GC's worst case (every body dies
/// old, in gen2, which the GC visits least), and with bodies on the GC heap the edge held several times its byte
/// budget in memory (bench/memory-budget.sh, docs/memory.md). Bodies made from managed bytes (<c>byte[]</c>,
/// <see cref="ReadOnlyMemory{T}"/>) stay on the GC heap and are never freed here.
/// </summary>
/// <remarks>
/// <para>A native body is reference counted. Its creator holds the first reference; each entry in the store holds
/// one (taken before the entry goes in, given back by whoever takes it out); and whoever reads the bytes holds a
/// lease for as long as it reads (<see cref="TryAcquire"/> … <see cref="Release"/>). When the count reaches zero
/// the memory is freed and no reference can be taken again: <see cref="TryAcquire"/> then says false, which a
/// reader treats as "the entry went meanwhile".</para>
/// <para>Reading the bytes of a freed body throws rather than returning another response's bytes: that is the
/// failure this type exists to rule out. There is no finalizer to catch a reference never given back: a span over
/// the memory does not keep its manager alive, so a finalizer could free bytes still being copied (CA2015). A lost
/// reference is a leak the tests look for (<see cref="NativeBytes"/>, <see cref="IsFreed"/>).</para>
/// </remarks>
public sealed unsafe class StoredBody : MemoryManager<byte>
{
    private static long s_nativeBytes;

    private readonly ReadOnlyMemory<byte> _managed;
    private readonly int _length;
    private byte* _native;
    // Native bodies only: holders of the body; zero once freed, for good.
    private int _references;

    private StoredBody(ReadOnlyMemory<byte> managed)
    {
        _managed = managed;
        _length = managed.Length;
    }

    private StoredBody(int length)
    {
        _length = length;
        // Not zeroed: every byte is written by the fill before anyone may read it (a body is read only once whole,
        // or below the length a GrowingBody has published).
        _native = (byte*)NativeMemory.Alloc((nuint)Math.Max(length, 1));
        _references = 1;
        IsNative = true;
        Interlocked.Add(ref s_nativeBytes, length);
    }

    /// <summary>No bytes; needs no lease.</summary>
    public static StoredBody Empty { get; } = new(ReadOnlyMemory<byte>.Empty);

    /// <summary>Bytes of every native body not yet freed, in this process.</summary>
    public static long NativeBytes => Interlocked.Read(ref s_nativeBytes);

    /// <summary>A native body of <paramref name="length"/> bytes for a fill to write (<see cref="Writable"/>); the caller holds its first reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative.</exception>
    public static StoredBody Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length == 0 ? Empty : new StoredBody(length);
    }

    /// <summary>A native copy of <paramref name="bytes"/>; the caller holds its first reference.</summary>
    public static StoredBody CopyOf(ReadOnlySpan<byte> bytes)
    {
        var body = Allocate(bytes.Length);
        if (body.IsNative)
        {
            bytes.CopyTo(body.Writable);
        }
        return body;
    }

    public static implicit operator StoredBody(byte[] bytes) => new(bytes);

    public static implicit operator StoredBody(ReadOnlyMemory<byte> bytes) => new(bytes);

    public int Length => _length;

    public bool IsEmpty => _length == 0;

    /// <summary>Whether the bytes are in native memory (reference counted) rather than on the GC heap.</summary>
    public bool IsNative { get; }

    /// <summary>Whether the native memory went back (every holder released it). Never true of a managed body.</summary>
    public bool IsFreed => IsNative && Volatile.Read(ref _references) == 0;

    /// <summary>The bytes. Only while holding a reference: a lease, the creator's, or one known to outlive the read.</summary>
    /// <exception cref="ObjectDisposedException">The body was freed.</exception>
    public ReadOnlyMemory<byte> Bytes => IsNative ? Memory : _managed;

    /// <summary>The bytes for the creator to fill.</summary>
    /// <exception cref="InvalidOperationException">A managed body: its bytes belong to whoever made them.</exception>
    public Span<byte> Writable => IsNative ? GetSpan() : throw new InvalidOperationException("a managed body is not written through the store");

    /// <summary>
    /// Takes a reference (a lease on the bytes) unless the body was already freed. Free of cost for a managed body.
    /// </summary>
    public bool TryAcquire()
    {
        if (!IsNative)
        {
            return true;
        }
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }
            references = seen;
        }
        return false;
    }

    /// <summary>Gives a reference back; the last one frees the memory.</summary>
    /// <exception cref="InvalidOperationException">More releases than references: a holder released twice.</exception>
    public void Release()
    {
        if (!IsNative)
        {
            return;
        }
        var references = Interlocked.Decrement(ref _references);
        if (references == 0)
        {
            Free();
        }
        else if (references < 0)
        {
            throw new InvalidOperationException("a stored body was released more often than it was acquired");
        }
    }

    public override Span<byte> GetSpan()
    {
        if (!IsNative)
        {
            return MemoryMarshal.AsMemory(_managed).Span;
        }
        var native = _native;
        // Checked on every read: a reader without a reference must fail, never see memory reused for another body.
        ObjectDisposedException.ThrowIf(native is null || Volatile.Read(ref _references) <= 0, this);
        return new Span<byte>(native, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if (!IsNative)
        {
            return MemoryMarshal.AsMemory(_managed).Pin();
        }
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        ObjectDisposedException.ThrowIf(_native is null, this);
        // Native memory does not move; the reader's lease, not the pin, keeps it alive.
        return new MemoryHandle(_native + elementIndex);
    }

    public override void Unpin()
    {
    }

    /// <summary>Does nothing: a body's memory goes with its last reference (<see cref="Release"/>), not with one holder's Dispose.</summary>
    protected override void Dispose(bool disposing)
    {
    }

    private void Free()
    {
        var native = _native;
        if (native is null)
        {
            return;
        }
        _native = null;
        NativeMemory.Free(native);
        Interlocked.Add(ref s_nativeBytes, -_length);
    }
}
