using CdnPlatform.Edge.Forwarding;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// The chunked body between the origin and the visitor: appended at one pace, pumped out at another, across segments
/// that grow from 16 KiB to 1 MiB; what the reader sends and what the store gets are the bytes that came, in order.
/// </summary>
public sealed class RelayedBodyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_reader_sends_every_byte_in_order_while_they_arrive_across_segments_and_the_store_gets_the_same()
    {
        var source = Pattern(5 * 1024 * 1024 + 12_345);
        var relay = new RelayedBody();
        Assert.True(relay.TryAcquire());
        var sink = new MemoryStream();
        var pump = relay.PumpAsync(sink, Patience, CancellationToken.None);

        // Pieces of odd sizes, so appends straddle the segments' ends, with the reader waking between them.
        var random = new Random(14);
        for (var at = 0; at < source.Length;)
        {
            var piece = Math.Min(source.Length - at, random.Next(1, 200_000));
            relay.Append(source.AsSpan(at, piece));
            at += piece;
            if (random.Next(4) == 0)
            {
                await Task.Yield();
            }
        }
        Assert.Null(relay.ToStoredBody());
        relay.Complete();
        await pump.WaitAsync(Patience);

        Assert.Equal(source, sink.ToArray());
        var stored = relay.ToStoredBody()!;
        Assert.Equal(source, stored.Bytes.ToArray());
        stored.Release();
        relay.Release();
        relay.Release();
        Assert.False(relay.TryAcquire());
    }

    [Fact]
    public void A_body_with_no_bytes_is_stored_empty()
    {
        var relay = new RelayedBody();
        relay.Complete();

        Assert.Equal(0, relay.ToStoredBody()!.Length);
    }

    [Fact]
    public async Task A_body_that_breaks_off_stops_the_reader_with_an_error_after_what_came()
    {
        var relay = new RelayedBody();
        var sink = new MemoryStream();
        var pump = relay.PumpAsync(sink, Patience, CancellationToken.None);
        relay.Append(Pattern(100_000));

        relay.Fail();

        await Assert.ThrowsAsync<IOException>(() => pump.WaitAsync(Patience));
        Assert.Equal(100_000, sink.Length);
        Assert.Null(relay.ToStoredBody());
    }

    [Fact]
    public async Task A_handed_over_body_ends_its_reader_after_what_came_and_takes_nothing_more()
    {
        var relay = new RelayedBody();
        var sink = new MemoryStream();
        var pump = relay.PumpAsync(sink, Patience, CancellationToken.None);
        relay.Append(Pattern(70_000));

        relay.HandOver();
        relay.Append(Pattern(10));

        await pump.WaitAsync(Patience);
        Assert.Equal(Pattern(70_000), sink.ToArray());
        Assert.Equal(70_000, relay.Length);
        Assert.Null(relay.ToStoredBody());
    }

    [Fact]
    public async Task A_silent_origin_stops_the_reader_after_the_idle_timeout()
    {
        var relay = new RelayedBody();
        relay.Append(Pattern(10));

        var error = await Assert.ThrowsAsync<IOException>(() => relay.PumpAsync(new MemoryStream(), TimeSpan.FromMilliseconds(50), CancellationToken.None));
        Assert.Contains("after 10 bytes", error.Message);
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }
        return bytes;
    }
}
