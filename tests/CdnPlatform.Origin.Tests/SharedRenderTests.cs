using System.Net;
using CdnPlatform.Testing;

namespace CdnPlatform.Origin.Tests;

/// <summary>
/// Output caching renders a page once for the requests that ask for it at the same time and hands each the result of
/// the first. When that first request's client gives up (an edge's origin response timeout while the datacenter's Redis
/// is stalled), the others must not get its cancellation as a 500: they are answered 503 (retry elsewhere, or stale),
/// or served if they did not share it.
/// </summary>
public sealed class SharedRenderTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ARequestThatSharedTheRenderOfOneGivenUp_IsNotAnswered500()
    {
        await using var node = await ShopNode.StartAsync("n1", settings:
            ["--Origin:Redis", redis.Endpoint, "--Origin:KeyPrefix", "render-" + Guid.NewGuid().ToString("N")[..8]]);
        using var first = ShopNode.ClientFor(node.Address);
        using var second = ShopNode.ClientFor(node.Address);
        using var givenUp = new CancellationTokenSource();
        Task<HttpResponseMessage>[] sharers;
        await redis.PauseAsync();
        try
        {
            // All wait for the stalled Redis, the later ones on the first one's render if it is the one that leads it.
            var abandoned = first.GetAsync("/products/101", givenUp.Token);
            await Task.Delay(300);
            sharers = [.. Enumerable.Range(0, 4).Select(_ => second.GetAsync("/products/101"))];
            await Task.Delay(300);
            await givenUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        }
        finally
        {
            await redis.ResumeAsync();
        }

        foreach (var sharer in sharers)
        {
            using var answer = await sharer;
            // 503 when it shared the abandoned render, 200 when the render it waited on was another's; never a 500.
            Assert.True(answer.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.OK,
                $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}\n{node.Errors}");
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("1", answer.Headers.RetryAfter?.ToString());
                Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
            }
        }
    }
}
