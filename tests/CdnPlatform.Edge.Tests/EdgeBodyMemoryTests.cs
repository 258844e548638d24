using CdnPlatform.Caching.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CdnPlatform.Edge.Tests;

/// <summary>Runs alone, after every other test of the assembly: it reads the process's count of native body bytes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native body memory";
}

/// <summary>
/// Bodies live in native memory the edge frees itself (<see cref="StoredBody"/>): whatever way a fill ends — stored,
/// evicted, too large, cut off by the origin, streamed to followers, revalidated — no byte of it is left behind once
/// the store lets go, and what the store holds never exceeds its budget.
/// </summary>
[Collection(NativeMemoryCollection.Name)]
public sealed class EdgeBodyMemoryTests
{
    private const int Budget = 200_000;

    [Fact]
    public async Task Every_body_a_fill_made_is_freed_once_the_store_lets_go_of_it()
    {
        var before = StoredBody.NativeBytes;
        await using (var f = await EdgeFixture.StartAsync(null, "--Edge:CacheBytes", $"{Budget}", "--Edge:MaxObjectBytes", "100000",
            "--Edge:StreamingThresholdBytes", "20000"))
        {
            var store = f.Edge.Services.GetRequiredService<MemoryCacheStore>();

            // Filled with a Content-Length, then hit; five times what fits, so most are evicted.
            for (var i = 0; i < 200; i++)
            {
                await GetWholeAsync(f, $"/sized/{i % 100}?size=5000");
            }
            // Chunked (no length up front), and chunked past MaxObjectBytes (the copy is dropped midway).
            for (var i = 0; i < 20; i++)
            {
                await GetWholeAsync(f, $"/chunked/{i}?size=3000&chunked");
                await GetWholeAsync(f, $"/chunked-large/{i}?size=150000&chunked");
                await GetWholeAsync(f, $"/announced-large/{i}?size=150000");
            }
            // Large enough to stream to followers collapsed onto the fill.
            for (var i = 0; i < 5; i++)
            {
                await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GetWholeAsync(f, $"/streamed/{i}?size=50000")));
            }
            // An origin that breaks off mid-body while a follower streams the fill.
            var leader = StartAsync(f, "/cut?size=50000&hold=10000&thencut");
            await WaitForOriginAsync(f, "/cut");
            var follower = StartAsync(f, "/cut?size=50000&hold=10000&thencut");
            await Task.Delay(200);
            f.Origin.Release("/cut");
            await Task.WhenAll(ReadOrFailAsync(leader), ReadOrFailAsync(follower));
            // Revalidated with a 304 (the freshened copy shares the body), and stale entries revalidated in the background.
            await GetWholeAsync(f, "/validated?size=4000&etag=v1&cc=max-age=0");
            await GetWholeAsync(f, "/validated?size=4000&etag=v1&cc=max-age=0");
            await GetWholeAsync(f, "/swr?size=4000&etag=v2&cc=max-age=1,stale-while-revalidate=60");
            f.Clock.Advance(TimeSpan.FromSeconds(5));
            await GetWholeAsync(f, "/swr?size=4000&etag=v2&cc=max-age=1,stale-while-revalidate=60");
            await WaitForOriginAsync(f, "/swr", hits: 2);

            var held = StoredBody.NativeBytes - before;
            Assert.True(store.Count > 0, "the scenario left something stored");
            Assert.InRange(held, 1, store.SizeBytes);
            Assert.True(store.SizeBytes <= Budget, $"the store holds {store.SizeBytes} bytes against a budget of {Budget}");

            store.Ban("", soft: false);
            store.SweepBans();
            Assert.Equal(0, store.Count);
            await WaitForAsync(() => StoredBody.NativeBytes == before);
            Assert.Equal(before, StoredBody.NativeBytes);
        }
    }

    private static async Task GetWholeAsync(EdgeFixture f, string pathAndQuery)
    {
        using var response = await f.GetAsync(pathAndQuery);
        await response.Content.ReadAsByteArrayAsync();
    }

    private static Task<HttpResponseMessage> StartAsync(EdgeFixture f, string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = EdgeFixture.Host;
        return f.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task ReadOrFailAsync(Task<HttpResponseMessage> started)
    {
        try
        {
            using var response = await started;
            await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // cut off, as it must be
        }
    }

    private static Task WaitForOriginAsync(EdgeFixture f, string path, int hits = 1) => WaitForAsync(() => f.Origin.Hits(path) >= hits);

    // Releases come when a response's write task completes, a moment after the client has the last byte.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }
    }
}
