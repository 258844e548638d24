using System.Net.Sockets;
using System.Text;
using CdnPlatform.Caching.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A fill does not hang on the visitor who started it. It is read from the origin at the origin's pace, not at that
/// visitor's: the slow visitor here is a socket with a tiny receive buffer that reads nothing until the test says so
/// (were the fill paced by it, it would stall once the kernel's and Kestrel's buffers were full, a few MiB into the
/// body, and the followers with it). And it goes on when that visitor leaves, for the followers and the store.
/// </summary>
public sealed class EdgeFillVisitorTests : IAsyncLifetime
{
    private const int Mebibyte = 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private EdgeFixture _f = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    // The origin's silence limit stays above the test's patience, so a stalled fill cannot end early by timing out.
    private async Task StartEdgeAsync(long streamingThreshold, long maxObjectBytes = 64 * Mebibyte) => _f = await EdgeFixture.StartAsync(null,
        "--Edge:MaxObjectBytes", $"{maxObjectBytes}", "--Edge:OriginActivityTimeoutSeconds", "120",
        "--Edge:StreamingThresholdBytes", $"{streamingThreshold}");

    [Fact]
    public async Task A_visitor_that_reads_nothing_holds_neither_the_fill_nor_the_visitors_behind_it()
    {
        const string path = "/film.mp4";
        const int size = 16 * Mebibyte;
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        var url = $"{path}?size={size}";
        using var slow = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);

        await AssertFollowerAnsweredAndFillStoredAsync(url, path, size);

        // Purged while the slow visitor is still to read it: its copy holds a lease of its own on the bytes.
        var store = _f.Edge.Services.GetRequiredService<MemoryCacheStore>();
        store.Ban("", soft: false);
        store.SweepBans();
        Assert.Equal(0, store.Count);

        var (head, body) = await ReadAnswerAsync(slow, size).WaitAsync(Patience);
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.Contains($"Content-Length: {size}", head);
        Assert.Equal(size, body.Length);
        Assert.All(body, b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task A_body_below_the_streaming_threshold_lands_while_its_visitor_reads_nothing()
    {
        const string path = "/poster.jpg";
        const int size = 16 * Mebibyte;
        // Followers of a fill below the threshold wait for it to land instead of streaming it.
        await StartEdgeAsync(streamingThreshold: 32 * Mebibyte);
        var url = $"{path}?size={size}";
        using var slow = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);

        // It lands without the slow visitor reading a byte.
        using var follower = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.Equal(size, (await follower.Content.ReadAsByteArrayAsync().WaitAsync(Patience)).Length);
        Assert.DoesNotContain("streamed", follower.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits(path));

        var (_, body) = await ReadAnswerAsync(slow, size).WaitAsync(Patience);
        Assert.Equal(size, body.Length);
    }

    [Fact]
    public async Task A_visitor_who_leaves_mid_fill_leaves_it_going_for_the_followers_and_the_store()
    {
        const string path = "/clip.mp4";
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        var url = $"{path}?size={3 * Mebibyte}&hold={Mebibyte}";
        var leaving = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);
        using var follower = await StartAsync(url).WaitAsync(Patience);
        var followerBody = await follower.Content.ReadAsStreamAsync();
        await followerBody.ReadExactlyAsync(new byte[Mebibyte]).AsTask().WaitAsync(Patience);

        Reset(leaving);
        await Task.Delay(1000);
        Assert.False(_f.Origin.AbandonedAsync(path).IsCompleted, "the edge gave up the origin's answer when its visitor left");
        _f.Origin.Release(path);

        using var rest = new MemoryStream();
        await followerBody.CopyToAsync(rest).WaitAsync(Patience);
        Assert.Equal(2 * Mebibyte, rest.Length);
        using var later = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.StartsWith("CdnPlatform; hit", later.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits(path));
    }

    [Fact]
    public async Task A_visitor_who_leaves_before_the_origin_answers_leaves_the_fill_going_too()
    {
        const string path = "/early.mp4";
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        // The origin counts the request, then takes 1.5 s before its head.
        var url = $"{path}?size={3 * Mebibyte}&delay=1500";
        var leaving = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);

        Reset(leaving);
        // Collapsed onto the fill its visitor left: answered from it, not by a second trip to the origin.
        using var follower = await _f.GetAsync(url).WaitAsync(Patience);

        Assert.Equal(3 * Mebibyte, (await follower.Content.ReadAsByteArrayAsync().WaitAsync(Patience)).Length);
        Assert.Equal(1, _f.Origin.Hits(path));
        using var later = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.StartsWith("CdnPlatform; hit", later.CacheStatus());
    }

    [Fact]
    public async Task What_cannot_be_stored_is_given_up_when_its_visitor_leaves()
    {
        const string path = "/account/statement.pdf";
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        var url = $"{path}?size={3 * Mebibyte}&hold={Mebibyte}&cc=private";
        var leaving = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);

        Reset(leaving);

        // Nobody else will ever have this body: the origin's request ends with its visitor.
        await _f.Origin.AbandonedAsync(path).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_chunked_answer_lands_while_its_visitor_reads_nothing_and_reaches_that_visitor_whole()
    {
        const string path = "/catalogue.html";
        const int size = 16 * Mebibyte;
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        // No Content-Length: the edge cannot know how much it will hold until the origin is done.
        var url = $"{path}?size={size}&chunked&pattern";
        using var slow = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);

        await AssertFollowerAnsweredAndFillStoredAsync(url, path, size);

        var (head, body, ended) = await ReadChunkedAnswerAsync(slow).WaitAsync(Patience);
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.Contains("Transfer-Encoding: chunked", head);
        Assert.True(ended, "the chunked answer ends with its last chunk");
        AssertPattern(body, size);
    }

    [Fact]
    public async Task A_chunked_answer_past_the_store_limit_reaches_its_slow_visitor_whole_and_in_order_and_is_not_stored()
    {
        const string path = "/export.csv";
        const int size = 12 * Mebibyte;
        // The edge reads up to 2 MiB apart from the visitor, learns it cannot keep the answer, and hands the rest over.
        await StartEdgeAsync(streamingThreshold: Mebibyte, maxObjectBytes: 2 * Mebibyte);
        var url = $"{path}?size={size}&chunked&pattern";
        using var slow = await SendWithoutReadingAsync(url);
        await WaitForOriginAsync(path);
        await Task.Delay(500);

        var (_, body, ended) = await ReadChunkedAnswerAsync(slow).WaitAsync(Patience);
        Assert.True(ended, "the chunked answer ends with its last chunk");
        AssertPattern(body, size);
        using var again = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.DoesNotContain("hit", again.CacheStatus());
        Assert.Equal(2, _f.Origin.Hits(path));
    }

    [Fact]
    public async Task A_chunked_answer_the_origin_cuts_off_is_cut_off_for_its_visitor_too_and_not_stored()
    {
        const string path = "/feed.xml";
        await StartEdgeAsync(streamingThreshold: Mebibyte);
        var url = $"{path}?size={3 * Mebibyte}&chunked&pattern&hold={Mebibyte}&thencut";
        // A visitor that reads as it comes: it has the first MiB before the origin goes on, and cuts off.
        using var visitor = await SendWithoutReadingAsync(url, receiveBuffer: 256 * 1024);
        var reading = ReadChunkedAnswerAsync(visitor, untilBodyBytes: Mebibyte);
        Assert.True(await reading.WaitAsync(Patience) is { Body.Length: >= Mebibyte }, "the first MiB did not come");
        _f.Origin.Release(path);

        var (_, body, ended) = await ReadChunkedAnswerAsync(visitor, already: await reading).WaitAsync(Patience);
        // What came, in order, then the connection's end without the last chunk: never taken for a whole answer.
        Assert.False(ended, "an answer the origin cut off ended as if whole");
        AssertPattern(body, body.Length);
        using var again = await _f.GetAsync($"{path}?size={3 * Mebibyte}&chunked&pattern").WaitAsync(Patience);
        Assert.DoesNotContain("hit", again.CacheStatus());
    }

    [Fact]
    public async Task A_storable_204_without_a_body_is_answered_and_stored()
    {
        const string path = "/beacon";
        await StartEdgeAsync(streamingThreshold: Mebibyte);

        using var first = await _f.GetAsync($"{path}?status=204").WaitAsync(Patience);
        using var second = await _f.GetAsync($"{path}?status=204").WaitAsync(Patience);

        Assert.Equal((204, 204), ((int)first.StatusCode, (int)second.StatusCode));
        Assert.StartsWith("CdnPlatform; hit", second.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits(path));
    }

    // Behind a slow visitor: a whole answer, and the fill stored (one trip to the origin) while the slow one has read nothing.
    private async Task AssertFollowerAnsweredAndFillStoredAsync(string url, string path, int size)
    {
        using var follower = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.Equal(size, (await follower.Content.ReadAsByteArrayAsync().WaitAsync(Patience)).Length);
        using var later = await _f.GetAsync(url).WaitAsync(Patience);
        Assert.StartsWith("CdnPlatform; hit", later.CacheStatus());
        Assert.Equal(size, (await later.Content.ReadAsByteArrayAsync().WaitAsync(Patience)).Length);
        Assert.Equal(1, _f.Origin.Hits(path));
    }

    private static void AssertPattern(byte[] body, int size)
    {
        Assert.Equal(size, body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != (byte)(i % 251))
            {
                Assert.Fail($"byte {i} is {body[i]}, not {i % 251}: the body is out of order");
            }
        }
    }

    // Reads an HTTP/1.1 answer with a chunked body to its last chunk or to the connection's end, whichever comes first
    // (or, with untilBodyBytes, until that much of the body came, keeping what was read in the returned answer's Raw for
    // a later call). The last chunk is seen as the bytes ending in "0\r\n\r\n", which a patterned body never spells.
    private static async Task<ChunkedAnswer> ReadChunkedAnswerAsync(Socket socket, int untilBodyBytes = int.MaxValue, ChunkedAnswer? already = null)
    {
        var received = new MemoryStream();
        received.Write(already?.Raw ?? []);
        var buffer = new byte[64 * 1024];
        while (!received.GetBuffer().AsSpan(0, (int)received.Length).EndsWith("\r\n0\r\n\r\n"u8))
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer);
            }
            catch (SocketException)
            {
                read = 0; // reset: the end here
            }
            if (read == 0)
            {
                break;
            }
            received.Write(buffer, 0, read);
            // Counting the received bytes bounds the body from above: parsed only once there may be enough.
            if (untilBodyBytes != int.MaxValue && received.Length >= untilBodyBytes
                && ParseChunked(received.GetBuffer().AsSpan(0, (int)received.Length)).Body.Length >= untilBodyBytes)
            {
                break;
            }
        }
        var (head, body, ended, _) = ParseChunked(received.GetBuffer().AsSpan(0, (int)received.Length));
        Assert.True(head is not null, "the answer has a head");
        return new ChunkedAnswer(head!, body, ended, received.ToArray());
    }

    private sealed record ChunkedAnswer(string Head, byte[] Body, bool Ended, byte[] Raw)
    {
        public void Deconstruct(out string head, out byte[] body, out bool ended) => (head, body, ended) = (Head, Body, Ended);
    }

    // What of a chunked answer has come: its head, the chunks' data so far, and whether the last chunk came.
    private static (string? Head, byte[] Body, bool Ended, bool Complete) ParseChunked(ReadOnlySpan<byte> bytes)
    {
        var headEnd = bytes.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return (null, [], false, false);
        }
        var head = Encoding.ASCII.GetString(bytes[..(headEnd + 4)]);
        var body = new MemoryStream();
        var at = headEnd + 4;
        while (true)
        {
            var lineEnd = bytes[at..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return (head, body.ToArray(), false, false);
            }
            var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes.Slice(at, lineEnd)).Split(';')[0], 16);
            var dataAt = at + lineEnd + 2;
            if (size == 0)
            {
                return (head, body.ToArray(), true, true);
            }
            var available = Math.Min(size, bytes.Length - dataAt);
            body.Write(bytes.Slice(dataAt, available));
            if (bytes.Length < dataAt + size + 2)
            {
                return (head, body.ToArray(), false, false);
            }
            at = dataAt + size + 2;
        }
    }

    // Closes with bytes unread: a reset, which Kestrel turns into the request's abort at once.
    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    // Returns once the response's head is in, leaving its body to be read as it comes.
    private Task<HttpResponseMessage> StartAsync(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = EdgeFixture.Host;
        return _f.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    // Sends the request on a socket whose receive buffer holds a few KiB (unless told), and reads nothing back.
    private async Task<Socket> SendWithoutReadingAsync(string pathAndQuery, int receiveBuffer = 4096)
    {
        var edge = new Uri(_f.Edge.Urls.First());
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBuffer };
        await socket.ConnectAsync(edge.Host, edge.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {EdgeFixture.Host}\r\n\r\n"));
        return socket;
    }

    private static async Task<(string Head, byte[] Body)> ReadAnswerAsync(Socket socket, int bodyLength)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var headEnd = -1;
        while (headEnd < 0 || received.Length < headEnd + bodyLength)
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                break;
            }
            received.Write(buffer, 0, read);
            if (headEnd < 0)
            {
                var at = received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf("\r\n\r\n"u8);
                headEnd = at < 0 ? -1 : at + 4;
            }
        }
        Assert.True(headEnd > 0, "the answer has a head");
        var all = received.ToArray();
        return (Encoding.ASCII.GetString(all, 0, headEnd), all[headEnd..]);
    }

    private async Task WaitForOriginAsync(string path)
    {
        for (var i = 0; i < 200 && _f.Origin.Hits(path) < 1; i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal(1, _f.Origin.Hits(path));
    }
}
