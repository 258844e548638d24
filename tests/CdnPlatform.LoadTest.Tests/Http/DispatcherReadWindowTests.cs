using System.Text;
using CdnPlatform.LoadTest.Http;

namespace CdnPlatform.LoadTest.Tests.Http;

/// <summary>
/// The open-model dispatcher lends its time until the next arrival to the request it starts: an answer that comes within
/// it is read on the dispatcher's own thread (the call returns finished), a later one asynchronously, as without a window.
/// </summary>
public sealed class DispatcherReadWindowTests
{
    private static readonly byte[] Get = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: www.shop.test\r\n\r\n");

    // Answers the first request at once (it opens the connection, which is always asynchronous) and every later one in
    // two writes: the head after `before`, the body after `between`.
    private static ScriptedServer Server(TimeSpan before, TimeSpan between) => new(async connection =>
    {
        var served = 0;
        while (await connection.ReadRequestAsync() is not null)
        {
            if (served++ > 0)
            {
                await Task.Delay(before);
            }
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nCache-Status: Edge; hit\r\n\r\n");
            if (served > 1)
            {
                await Task.Delay(between);
            }
            await connection.WriteAsync($"body-{served}");
        }
    });

    [Fact]
    public async Task An_answer_within_the_window_is_read_whole_on_the_thread_that_sent_it()
    {
        await using var server = Server(TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(30));
        using var client = new Http1Connection(server.Address, "www.shop.test");
        await client.SendAsync(Get, text: true, retryIfStale: true, CancellationToken.None);

        var (second, finishedOnReturn) = SendWithin(client, TimeSpan.FromSeconds(5), retryIfStale: true);

        Assert.True(finishedOnReturn, "an answer within the window came back on the calling thread");
        var answer = await second;
        Assert.Equal((200, "body-2", "Edge; hit"), (answer.Status, answer.Text, answer.CacheStatus));
        Assert.True(client.Reusable);
    }

    [Fact]
    public async Task An_answer_later_than_the_window_is_read_asynchronously_and_whole()
    {
        await using var server = Server(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(400));
        using var client = new Http1Connection(server.Address, "www.shop.test");
        await client.SendAsync(Get, text: true, retryIfStale: true, CancellationToken.None);

        // The head comes within the window, the body long after it: the read that waits past it goes asynchronous.
        var (second, finishedOnReturn) = SendWithin(client, TimeSpan.FromMilliseconds(200), retryIfStale: true);

        Assert.False(finishedOnReturn, "the calling thread is given back when the window ends");
        var answer = await second;
        Assert.Equal((200, "body-2"), (answer.Status, answer.Text));
        Assert.True(client.Reusable);
    }

    [Fact]
    public async Task Without_a_window_a_read_never_waits_on_the_calling_thread()
    {
        await using var server = Server(TimeSpan.FromMilliseconds(100), TimeSpan.Zero);
        using var client = new Http1Connection(server.Address, "www.shop.test");
        await client.SendAsync(Get, text: true, retryIfStale: true, CancellationToken.None);

        var second = client.SendAsync(Get, text: true, retryIfStale: true, CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal("body-2", (await second).Text);
    }

    [Fact]
    public async Task A_connection_the_server_closes_within_the_window_fails_as_it_would_without_one()
    {
        await using var server = new ScriptedServer(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await connection.ReadRequestAsync();
            await Task.Delay(30);
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
            // Returning closes the socket five bytes into a body of ten.
        });
        using var client = new Http1Connection(server.Address, "www.shop.test");
        await client.SendAsync(Get, text: true, retryIfStale: false, CancellationToken.None);

        var (second, _) = SendWithin(client, TimeSpan.FromSeconds(5), retryIfStale: false);

        var e = await Assert.ThrowsAsync<IOException>(() => second);
        Assert.Contains("5 bytes into a body of 10", e.Message);
        Assert.False(client.Reusable);
    }

    // Sends one request with a window of `window` open on this thread, as the dispatcher does; says whether the answer
    // was whole when the call returned.
    private static (Task<Http1Answer> Answer, bool FinishedOnReturn) SendWithin(Http1Connection client, TimeSpan window, bool retryIfStale)
    {
        DispatcherReadWindow.Open(TimeProvider.System, TimeProvider.System.GetTimestamp() + (long)(window.TotalSeconds * TimeProvider.System.TimestampFrequency));
        try
        {
            var answer = client.SendAsync(Get, text: true, retryIfStale, CancellationToken.None);
            return (answer, answer.IsCompleted);
        }
        finally
        {
            DispatcherReadWindow.Close();
        }
    }
}
