using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>The edge's JSON access log: one line per request with what ops look for, sampled as configured.</summary>
public sealed class AccessLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cdn-access-log-").FullName;

    private string LogPath => Path.Combine(_directory, "access.log");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Each_request_is_one_json_line_with_its_site_status_cache_status_and_times()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:AccessLog:Enabled", "true", "--Edge:AccessLog:Path", LogPath);

        await f.GetAsync("/logged?size=1234");
        await f.GetAsync("/logged?size=1234");
        await f.SendAsync(HttpMethod.Head, "/logged?size=1234");

        var lines = await LinesAsync(3);
        var miss = lines[0].RootElement;
        Assert.Equal("test", miss.GetProperty("pop").GetString());
        Assert.Equal("shop", miss.GetProperty("site").GetString());
        Assert.Equal("GET", miss.GetProperty("method").GetString());
        Assert.Equal("/logged", miss.GetProperty("path").GetString());
        Assert.Equal(200, miss.GetProperty("status").GetInt32());
        Assert.Equal(1234, miss.GetProperty("bytes").GetInt64());
        Assert.Equal("miss", miss.GetProperty("cache").GetString());
        Assert.True(miss.GetProperty("originMs").GetDouble() > 0);
        Assert.True(miss.GetProperty("totalMs").GetDouble() >= miss.GetProperty("originMs").GetDouble());
        // Milliseconds to the microsecond: three decimals, as written.
        Assert.Matches(@"""totalMs"":\d+\.\d{3},", lines[0].RootElement.GetRawText());
        Assert.Matches(@"^\{""time"":""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"",", lines[0].RootElement.GetRawText());
        Assert.Equal("127.0.0.1", miss.GetProperty("client").GetString());
        var time = miss.GetProperty("time").GetDateTimeOffset();
        Assert.InRange(time, f.Clock.GetUtcNow().AddSeconds(-5), f.Clock.GetUtcNow());

        var hit = lines[1].RootElement;
        Assert.Equal("hit", hit.GetProperty("cache").GetString());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("originMs").ValueKind);
        Assert.Equal(1234, hit.GetProperty("bytes").GetInt64());
        var head = lines[2].RootElement;
        Assert.Equal("HEAD", head.GetProperty("method").GetString());
        Assert.Equal(0, head.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task A_zero_sample_rate_logs_only_errors()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:AccessLog:Enabled", "true", "--Edge:AccessLog:Path", LogPath,
            "--Edge:AccessLog:SampleRate", "0");

        for (var i = 0; i < 20; i++)
        {
            await f.GetAsync("/quiet");
        }
        await f.GetAsync("/broken?status=503&cc=no-store");

        var lines = await LinesAsync(1);
        Assert.Equal("/broken", lines[0].RootElement.GetProperty("path").GetString());
        Assert.Equal(503, lines[0].RootElement.GetProperty("status").GetInt32());
        // Another tenth of a second: nothing else comes.
        await Task.Delay(300);
        Assert.Single(File.ReadAllLines(LogPath));
    }

    [Fact]
    public async Task Off_by_default_it_writes_nothing()
    {
        await using var f = await EdgeFixture.StartAsync(null, "--Edge:AccessLog:Path", LogPath);

        await f.GetAsync("/nothing");
        await Task.Delay(300);

        Assert.False(File.Exists(LogPath));
    }

    [Theory]
    [InlineData("--Edge:AccessLog:SampleRate", "1.5", "Edge:AccessLog:SampleRate")]
    [InlineData("--Edge:AccessLog:QueueLength", "0", "Edge:AccessLog:QueueLength")]
    [InlineData("--Edge:AccessLog:Path", "/no/such/dir/access.log", "Edge:AccessLog:Path")]
    public void A_bad_setting_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var failures = EdgeFixture.StartupFailures("--Edge:Name", "test", "--Edge:Sites:0:Name", "shop", "--Edge:Sites:0:Hosts:0", "a.test",
            "--Edge:Sites:0:Origin", "http://127.0.0.1:1", "--Edge:AccessLog:Enabled", "true", key, value);

        Assert.Contains(failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    private async Task<List<JsonDocument>> LinesAsync(int count)
    {
        string[] lines = [];
        await Eventually.TrueAsync(() =>
        {
            lines = File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];
            return lines.Length >= count;
        }, TimeSpan.FromSeconds(10), $"{count} access log lines");
        return lines.Select(l => JsonDocument.Parse(l)).ToList();
    }
}
