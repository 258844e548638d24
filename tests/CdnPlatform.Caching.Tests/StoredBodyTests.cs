using CdnPlatform.Caching.Storage;

namespace CdnPlatform.Caching.Tests;

/// <summary>A native body's reference count: the memory goes with the last holder and never comes back.</summary>
public sealed class StoredBodyTests
{
    [Fact]
    public void A_native_body_holds_what_its_creator_wrote()
    {
        var body = StoredBody.CopyOf("hello"u8);

        Assert.True(body.IsNative);
        Assert.False(body.IsFreed);
        Assert.Equal(5, body.Length);
        Assert.Equal("hello"u8.ToArray(), body.Bytes.ToArray());
        body.Release();
    }

    [Fact]
    public void The_last_release_frees_the_memory_and_no_lease_is_had_after_it()
    {
        var body = StoredBody.CopyOf("abc"u8);
        Assert.True(body.TryAcquire());

        body.Release(); // the creator's
        Assert.False(body.IsFreed);
        Assert.Equal("abc"u8.ToArray(), body.Bytes.ToArray());

        body.Release(); // the lease
        Assert.True(body.IsFreed);
        Assert.False(body.TryAcquire());
        Assert.True(body.IsFreed);
    }

    [Fact]
    public void Reading_a_freed_body_throws_rather_than_showing_reused_memory()
    {
        var body = StoredBody.CopyOf("secret"u8);
        body.Release();

        Assert.Throws<ObjectDisposedException>(() => body.Bytes.Span.ToArray());
        Assert.Throws<ObjectDisposedException>(() => body.Writable.Length);
    }

    [Fact]
    public void Releasing_more_often_than_acquiring_is_a_bug_said_out_loud()
    {
        var body = StoredBody.Allocate(8);
        body.Release();

        Assert.Throws<InvalidOperationException>(body.Release);
    }

    [Fact]
    public void The_native_byte_count_follows_allocation_and_the_last_release()
    {
        // Other tests allocate at the same time: a body far larger than theirs makes the step visible.
        const int length = 64 * 1024 * 1024;
        var before = StoredBody.NativeBytes;
        var body = StoredBody.Allocate(length);
        Assert.InRange(StoredBody.NativeBytes - before, length - 16 * 1024 * 1024, length + 16 * 1024 * 1024);

        body.Release();

        Assert.InRange(StoredBody.NativeBytes - before, -16 * 1024 * 1024, 16 * 1024 * 1024);
    }

    [Fact]
    public void A_managed_body_needs_no_lease_and_is_never_freed()
    {
        StoredBody body = "managed"u8.ToArray();

        Assert.False(body.IsNative);
        Assert.True(body.TryAcquire());
        body.Release();
        body.Release();
        Assert.False(body.IsFreed);
        Assert.Equal("managed"u8.ToArray(), body.Bytes.ToArray());
        Assert.Throws<InvalidOperationException>(() => body.Writable.Length);
    }

    [Fact]
    public void An_empty_body_is_shared_and_never_native()
    {
        Assert.Same(StoredBody.Empty, StoredBody.Allocate(0));
        Assert.Same(StoredBody.Empty, StoredBody.CopyOf([]));
        Assert.False(StoredBody.Empty.IsNative);
    }

    [Fact]
    public async Task Leases_taken_and_given_back_from_many_threads_free_the_body_exactly_once_at_the_end()
    {
        var body = StoredBody.CopyOf(new byte[1000]);
        var freedTooEarly = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (!body.TryAcquire())
                {
                    Interlocked.Increment(ref freedTooEarly);
                    return;
                }
                _ = body.Bytes.Span[999];
                body.Release();
            }
        })));

        Assert.Equal(0, freedTooEarly);
        Assert.False(body.IsFreed);
        body.Release();
        Assert.True(body.IsFreed);
    }
}
