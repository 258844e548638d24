using CdnPlatform.Testing;

namespace CdnPlatform.Edge.Tests;

/// <summary>
/// The edge's <c>/metrics</c>: valid Prometheus text by the reference parser, counters that move by exactly the
/// requests sent, one edge's series apart from another's in the same process, and never answered on a site's Host.
/// </summary>
public sealed class EdgeMetricsTests : IAsyncLifetime
{
    private const string Requests = "cdn_edge_requests_total";
    private EdgeFixture _f = null!;

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Requests_are_counted_by_cache_status_and_status_class_exactly()
    {
        var before = await ScrapeAsync(_f);

        await _f.GetAsync("/page");                                   // miss
        for (var i = 0; i < 3; i++)
        {
            await _f.GetAsync("/page");                               // hits
        }
        await _f.SendAsync(HttpMethod.Post, "/page");                 // pass (method)
        await _f.GetAsync("/gone?status=404&cc=no-store");            // miss answered 404
        await _f.GetAsync("/page", "evil.test");                      // refused

        var after = await ScrapeAsync(_f);
        Assert.Equal("counter", after.TypeOf("cdn_edge_requests"));
        Assert.Equal(1, Moved(before, after, Requests, ("site", "shop"), ("cache_status", "miss"), ("status_class", "2xx")));
        Assert.Equal(3, Moved(before, after, Requests, ("site", "shop"), ("cache_status", "hit"), ("status_class", "2xx")));
        Assert.Equal(1, Moved(before, after, Requests, ("site", "shop"), ("cache_status", "pass"), ("status_class", "2xx")));
        Assert.Equal(1, Moved(before, after, Requests, ("site", "shop"), ("cache_status", "miss"), ("status_class", "4xx")));
        Assert.Equal(6, Moved(before, after, Requests, ("site", "shop")));
        Assert.Equal(1, Moved(before, after, "cdn_edge_refused_requests_total"));
        // Three trips to the origin (the first miss, the pass and the 404), each timed.
        Assert.Equal("histogram", after.TypeOf("cdn_edge_origin_fetch_duration_seconds"));
        Assert.Equal(3, Moved(before, after, "cdn_edge_origin_fetch_duration_seconds_count", ("site", "shop")));
        Assert.True(after.Sum("cdn_edge_origin_fetch_duration_seconds_sum", ("site", "shop")) > 0);
    }

    [Fact]
    public async Task A_stale_answer_is_told_apart_from_a_hit()
    {
        const string Url = "/swr?cc=max-age=10,+stale-while-revalidate=60";
        await _f.GetAsync(Url);
        _f.Clock.Advance(TimeSpan.FromSeconds(15));
        var before = await ScrapeAsync(_f);

        var stale = await _f.GetAsync(Url);

        Assert.Contains("stale-while-revalidate", string.Join(",", stale.Headers.GetValues("Cache-Status")));
        var after = await ScrapeAsync(_f);
        Assert.Equal(1, Moved(before, after, Requests, ("cache_status", "stale")));
        Assert.Equal(0, Moved(before, after, Requests, ("cache_status", "hit")));
    }

    [Fact]
    public async Task The_store_s_size_entries_and_evictions_are_exported_as_the_store_counts_them()
    {
        await _f.GetAsync("/a");
        await _f.GetAsync("/b?size=5000");

        var scrape = await ScrapeAsync(_f);
        using var health = System.Text.Json.JsonDocument.Parse(await (await _f.GetAsync("/healthz", "127.0.0.1")).Content.ReadAsStringAsync());
        Assert.Equal("gauge", scrape.TypeOf("cdn_edge_cache_size_bytes"));
        Assert.Equal(health.RootElement.GetProperty("entries").GetInt64(), scrape.Sum("cdn_edge_cache_entries"));
        Assert.Equal(2, scrape.Sum("cdn_edge_cache_entries"));
        Assert.Equal(health.RootElement.GetProperty("bytes").GetInt64(), scrape.Sum("cdn_edge_cache_size_bytes"));
        Assert.True(scrape.Sum("cdn_edge_cache_size_bytes") > 5000);
        Assert.Equal(0, scrape.Sum("cdn_edge_cache_evictions_total"));
        Assert.Equal(0, scrape.Sum("cdn_edge_purge_lag"));
        Assert.True(scrape.Has("cdn_edge_purge_lag"));
    }

    [Fact]
    public async Task Health_reports_the_requests_and_the_hits_the_dashboard_reads()
    {
        await _f.GetAsync("/t");
        await _f.GetAsync("/t");
        await _f.GetAsync("/t");

        using var health = System.Text.Json.JsonDocument.Parse(await (await _f.GetAsync("/healthz", "127.0.0.1")).Content.ReadAsStringAsync());
        var traffic = health.RootElement.GetProperty("traffic");
        Assert.Equal(3, traffic.GetProperty("requests").GetInt64());
        Assert.Equal(2, traffic.GetProperty("hits").GetInt64());

        // Another start of an edge is another run: the dashboard knows its counters began again.
        await using var other = await EdgeFixture.StartAsync();
        using var otherHealth = System.Text.Json.JsonDocument.Parse(await (await other.GetAsync("/healthz", "127.0.0.1")).Content.ReadAsStringAsync());
        var run = traffic.GetProperty("run").GetString();
        Assert.Matches("^[0-9a-f]{16}$", run);
        Assert.NotEqual(run, otherHealth.RootElement.GetProperty("traffic").GetProperty("run").GetString());
    }

    [Fact]
    public async Task A_site_s_metrics_path_is_the_site_s_own_page_not_the_edge_s_counters()
    {
        var response = await _f.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("GET /metrics #1", body);
        Assert.Equal(1, _f.Origin.Hits("/metrics"));
        Assert.DoesNotContain("cdn_edge", body);
    }

    [Fact]
    public async Task Two_edges_in_one_process_keep_their_own_series()
    {
        await using var other = await EdgeFixture.StartAsync();
        var before = await ScrapeAsync(_f);

        await other.GetAsync("/elsewhere");
        await other.GetAsync("/elsewhere");

        var after = await ScrapeAsync(_f);
        var otherScrape = await ScrapeAsync(other);
        Assert.Equal(0, Moved(before, after, Requests));
        Assert.Equal(2, otherScrape.Sum(Requests, ("site", "shop")));
    }

    private static async Task<PrometheusText> ScrapeAsync(EdgeFixture edge)
    {
        // By the edge's address, which is no site's Host.
        var response = await edge.GetAsync("/metrics", "127.0.0.1");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await PrometheusText.ParseAsync(await response.Content.ReadAsStringAsync());
    }

    private static double Moved(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
