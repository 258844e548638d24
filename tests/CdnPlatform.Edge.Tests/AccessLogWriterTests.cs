using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Observability;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// The access log's writer apart from an edge: lines from many threads all reach the file whole and in each thread's
/// order, cores' lines are merged by completion, and a writer that falls behind drops and counts, never blocks.
/// </summary>
public sealed class AccessLogWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cdn-access-log-writer-").FullName;

    private string LogPath => Path.Combine(_directory, "access.log");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Lines_from_many_threads_all_arrive_whole_and_in_each_threads_order()
    {
        const int Threads = 4, PerThread = 5_000;
        var writer = Writer(queueLength: 1_000_000);
        await writer.StartAsync(CancellationToken.None);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                writer.Add(Entry($"/t{t}/{i}"), Stopwatch.GetTimestamp());
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        await writer.StopAsync(CancellationToken.None);

        var next = new int[Threads];
        var lines = File.ReadAllLines(LogPath);
        Assert.Equal(Threads * PerThread, lines.Length);
        foreach (var line in lines)
        {
            var parts = JsonDocument.Parse(line).RootElement.GetProperty("path").GetString()!.Split('/');
            var thread = int.Parse(parts[1][1..]);
            Assert.Equal(next[thread]++, int.Parse(parts[2]));
        }
        Assert.Equal(Threads * PerThread, writer.Written);
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public void Two_cores_lines_are_merged_in_the_order_their_requests_completed()
    {
        var first = new AccessLogShard("ams");
        var second = new AccessLogShard("ams");
        foreach (var at in new long[] { 10, 30, 50 })
        {
            first.Add(Entry($"/{at}"), at);
        }
        // A second buffer on the same core: its lines come after the first buffer's.
        second.Add(Entry("/20"), 20);
        second.StartBuffer(100);
        second.Add(Entry("/40"), 40);
        second.Add(Entry("/60"), 60);

        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(1, second.FilledLines);
        Assert.Equal(3, second.Waiting);
        var merge = new AccessLogMerge([first.TakeAll()!, second.TakeAll()!]);

        Assert.Equal(6, merge.CopyTo(output, int.MaxValue));
        Assert.Equal(0, merge.CopyTo(output, int.MaxValue));
        Assert.Equal(0, second.Waiting);
        var paths = Encoding.UTF8.GetString(output.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString());
        Assert.Equal(["/10", "/20", "/30", "/40", "/50", "/60"], paths);
    }

    [Fact]
    public void A_round_copies_about_as_many_bytes_as_asked_and_the_rest_next()
    {
        var shard = new AccessLogShard("ams");
        for (var i = 0; i < 100; i++)
        {
            shard.Add(Entry($"/{i}"), i);
        }
        var merge = new AccessLogMerge([shard.TakeAll()!]);
        var output = new ArrayBufferWriter<byte>();

        var copied = merge.CopyTo(output, 1_000);
        Assert.InRange(copied, 1, 99);
        Assert.Equal(100 - copied, merge.CopyTo(output, int.MaxValue));
        Assert.Equal(100, Encoding.UTF8.GetString(output.WrittenSpan).Count(c => c == '\n'));
    }

    [Fact]
    public async Task A_writer_behind_drops_and_counts_new_lines_then_takes_lines_again_once_it_wrote()
    {
        var writer = Writer(queueLength: 10, shards: 1);

        // No writer running yet: the first ten lines wait, the rest are dropped at once instead of waiting.
        for (var i = 0; i < 2_000; i++)
        {
            writer.Add(Entry($"/{i}"), i);
        }
        Assert.Equal(1_990, writer.Dropped);

        await writer.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => writer.Written == 10, TimeSpan.FromSeconds(10), "the ten lines that waited written");
        writer.Add(Entry("/after"), 3_000);
        await writer.StopAsync(CancellationToken.None);

        var paths = File.ReadAllLines(LogPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString());
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"/{i}"), "/after"], paths);
        Assert.Equal(1_990, writer.Dropped);
    }

    [Fact]
    public async Task A_line_longer_than_a_cores_buffer_is_written_whole()
    {
        var writer = Writer(queueLength: 1_000);
        var path = "/" + new string('a', 3 * AccessLogShard.BufferBytes);
        await writer.StartAsync(CancellationToken.None);

        writer.Add(Entry("/before"), 1);
        writer.Add(Entry(path), 2);
        writer.Add(Entry("/after"), 3);
        await writer.StopAsync(CancellationToken.None);

        var paths = File.ReadAllLines(LogPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString());
        Assert.Equal(["/before", path, "/after"], paths);
    }

    private AccessLogWriter Writer(int queueLength, int shards = 2) => new(
        new EdgeOptions { Name = "ams", AccessLog = new AccessLogOptions { Enabled = true, Path = LogPath, QueueLength = queueLength } },
        NullLogger<AccessLogWriter>.Instance, shards);

    private static AccessLogEntry Entry(string path) =>
        new(DateTimeOffset.UtcNow, "shop", "GET", path, 200, 1024, CacheOutcome.Hit, null, TimeSpan.FromMicroseconds(250), null);
}
