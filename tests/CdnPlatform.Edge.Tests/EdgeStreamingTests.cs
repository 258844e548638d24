namespace CdnPlatform.Edge.Tests;

/// <summary>
/// Requests collapsed onto the fill of a large storable object get its bytes as the fill receives them, not after it
/// landed (Edge:StreamingThresholdBytes, 1 MiB by default). The origin holds its answer mid-body until the test
/// releases it, so "while it arrives" is a fact the test sees, not a timing.
/// </summary>
public sealed class EdgeStreamingTests : IAsyncLifetime
{
    private const int Mebibyte = 1024 * 1024;
    private EdgeFixture _f = null!;

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task A_follower_reads_a_large_fill_while_the_origin_is_still_sending_it()
    {
        const string path = "/video.mp4";
        var url = $"{path}?size={3 * Mebibyte}&hold={Mebibyte}";
        using var leader = await StartAsync(url);
        await WaitForOriginAsync(path, 1);

        using var follower = await StartAsync(url).WaitAsync(TimeSpan.FromSeconds(10));
        var followerBody = await follower.Content.ReadAsStreamAsync();
        var firstMebibyte = new byte[Mebibyte];
        // The origin has sent 1 MiB of 3 and waits: the follower has it all the same.
        await followerBody.ReadExactlyAsync(firstMebibyte).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("collapsed", follower.CacheStatus());
        Assert.Contains("detail=\"streamed from fill\"", follower.CacheStatus());
        Assert.Equal(3 * Mebibyte, follower.Content.Headers.ContentLength);
        _f.Origin.Release(path);
        var rest = await ReadToEndAsync(followerBody);
        var leaderBytes = await leader.Content.ReadAsByteArrayAsync();

        Assert.Equal(2 * Mebibyte, rest.Length);
        Assert.Equal(3 * Mebibyte, leaderBytes.Length);
        Assert.All([.. firstMebibyte, .. rest], b => Assert.Equal((byte)'x', b));
        Assert.Contains("stored", leader.CacheStatus());
        // Stored whole once the fill ended: the next request is a hit, still one origin request.
        using var later = await _f.GetAsync(url);
        Assert.Equal(3 * Mebibyte, (await later.Content.ReadAsByteArrayAsync()).Length);
        Assert.StartsWith("CdnPlatform; hit", later.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits(path));
    }

    [Fact]
    public async Task A_fill_below_the_threshold_lands_before_its_followers_are_answered()
    {
        const string path = "/small.css";
        var url = $"{path}?size={64 * 1024}&hold=1024";
        using var leader = await StartAsync(url);
        await WaitForOriginAsync(path, 1);

        var follower = StartAsync(url);
        await Task.Delay(300);
        Assert.False(follower.IsCompleted, "a follower of a small fill waits for it to land");
        _f.Origin.Release(path);
        using var answer = await follower.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(64 * 1024, (await answer.Content.ReadAsByteArrayAsync()).Length);
        Assert.Contains("collapsed", answer.CacheStatus());
        Assert.DoesNotContain("streamed", answer.CacheStatus());
        Assert.Equal(1, _f.Origin.Hits(path));
    }

    [Fact]
    public async Task An_origin_that_breaks_off_mid_body_cuts_its_streaming_followers_off_and_nothing_is_stored()
    {
        const string path = "/broken.zip";
        var url = $"{path}?size={2 * Mebibyte}&hold={Mebibyte}&thencut";
        using var leader = await StartAsync(url);
        await WaitForOriginAsync(path, 1);
        using var follower = await StartAsync(url).WaitAsync(TimeSpan.FromSeconds(10));
        var followerBody = await follower.Content.ReadAsStreamAsync();
        await followerBody.ReadExactlyAsync(new byte[Mebibyte]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        _f.Origin.Release(path);

        // A response shorter than its Content-Length ends with its connection: the client cannot take it for whole.
        await Assert.ThrowsAnyAsync<Exception>(() => ReadToEndAsync(followerBody).WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<Exception>(() => leader.Content.ReadAsByteArrayAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        using var again = await StartAsync($"{path}?size={2 * Mebibyte}");
        Assert.Equal(2 * Mebibyte, (await again.Content.ReadAsByteArrayAsync()).Length);
        Assert.DoesNotContain("hit", again.CacheStatus());
        Assert.Equal(2, _f.Origin.Hits(path));
    }

    [Fact]
    public void A_threshold_that_is_not_positive_stops_startup_naming_the_key()
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "ams", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "www.shop.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:StreamingThresholdBytes", "0");
        Assert.Contains(failures, failure => failure.StartsWith("Edge:StreamingThresholdBytes must be positive, was 0", StringComparison.Ordinal));
    }

    // Returns once the response's head is in, leaving its body to be read as it comes.
    private Task<HttpResponseMessage> StartAsync(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = EdgeFixture.Host;
        return _f.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private async Task WaitForOriginAsync(string path, int hits)
    {
        for (var i = 0; i < 200 && _f.Origin.Hits(path) < hits; i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal(hits, _f.Origin.Hits(path));
    }

    private static async Task<byte[]> ReadToEndAsync(Stream body)
    {
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest);
        return rest.ToArray();
    }
}
