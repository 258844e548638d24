using CdnPlatform.Caching.Coalescing;

namespace CdnPlatform.Caching.Tests;

public sealed class GrowingBodyTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_reader_gets_every_byte_in_order_as_it_arrives_and_ends_with_the_body()
    {
        var body = new GrowingBody(6);
        using var read = new MemoryStream();
        var reading = body.CopyToAsync(read, Idle, CancellationToken.None);

        body.Append("abc"u8);
        await WaitForAsync(() => read.Length == 3);
        Assert.False(reading.IsCompleted);
        body.Append("def"u8);
        Assert.True(body.Complete());
        await reading.WaitAsync(Idle);

        Assert.Equal("abcdef"u8.ToArray(), read.ToArray());
        Assert.Equal("abcdef"u8.ToArray(), body.Content.Bytes.ToArray());
    }

    [Fact]
    public async Task A_reader_that_comes_late_gets_the_whole_body()
    {
        var body = new GrowingBody(4);
        body.Append("ab"u8);
        body.Append("cd"u8);
        body.Complete();
        using var read = new MemoryStream();

        await body.CopyToAsync(read, Idle, CancellationToken.None);

        Assert.Equal("abcd"u8.ToArray(), read.ToArray());
    }

    [Fact]
    public async Task A_body_that_breaks_off_stops_its_readers_with_an_error_after_what_came()
    {
        var body = new GrowingBody(10);
        using var read = new MemoryStream();
        var reading = body.CopyToAsync(read, Idle, CancellationToken.None);
        body.Append("abc"u8);
        await WaitForAsync(() => read.Length == 3);

        body.Fail();

        var e = await Assert.ThrowsAsync<IOException>(() => reading.WaitAsync(Idle));
        Assert.Contains("after 3 of 10 bytes", e.Message);
        Assert.False(body.IsComplete);
        Assert.Throws<InvalidOperationException>(() => body.Content);
    }

    [Fact]
    public void Fewer_bytes_than_announced_or_more_fail_the_body()
    {
        var shorter = new GrowingBody(5);
        shorter.Append("abc"u8);
        Assert.False(shorter.Complete());

        var longer = new GrowingBody(2);
        longer.Append("abc"u8);
        Assert.False(longer.Complete());
        Assert.Equal(0, longer.Length);
    }

    [Fact]
    public async Task A_reader_gives_up_on_a_body_that_stops_arriving()
    {
        var body = new GrowingBody(4);
        body.Append("a"u8);

        var e = await Assert.ThrowsAsync<IOException>(() => body.CopyToAsync(Stream.Null, TimeSpan.FromMilliseconds(50), CancellationToken.None));

        Assert.Contains("no more of the origin's body", e.Message);
    }

    [Fact]
    public async Task Many_readers_each_get_the_whole_body()
    {
        var body = new GrowingBody(1000);
        var readers = Enumerable.Range(0, 8).Select(_ => new MemoryStream()).ToArray();
        var reading = readers.Select(r => body.CopyToAsync(r, Idle, CancellationToken.None)).ToArray();

        for (var i = 0; i < 100; i++)
        {
            body.Append(Enumerable.Repeat((byte)i, 10).ToArray());
        }
        body.Complete();
        await Task.WhenAll(reading).WaitAsync(Idle);

        var expected = Enumerable.Range(0, 100).SelectMany(i => Enumerable.Repeat((byte)i, 10)).ToArray();
        Assert.All(readers, r => Assert.Equal(expected, r.ToArray()));
    }

    [Fact]
    public async Task A_reader_s_lease_keeps_the_bytes_after_the_fill_let_go_and_the_last_holder_frees_them()
    {
        var body = new GrowingBody(4);
        body.Append("abcd"u8);
        body.Complete();
        Assert.True(body.TryAcquire());

        body.Release(); // the fill is done with it; the entry was never stored
        using var read = new MemoryStream();
        await body.CopyToAsync(read, Idle, CancellationToken.None);
        Assert.Equal("abcd"u8.ToArray(), read.ToArray());

        body.Release();
        Assert.True(body.Content.IsFreed);
        Assert.False(body.TryAcquire());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(5);
        }
        Assert.True(condition());
    }
}
