namespace CdnPlatform.Edge.Tests;

/// <summary>
/// A hit is looked up by its key's characters before any key string is made (the fast path); it must find exactly
/// what the whole way finds: paths by case and escaping, hosts without case or default port.
/// </summary>
public sealed class EdgeHitKeyTests : IAsyncLifetime
{
    private EdgeFixture _f = null!;

    // The site answers for a second host, whose entries must stay apart from the first's.
    private const string OtherHost = "shop.test";

    public async Task InitializeAsync() => _f = await EdgeFixture.StartAsync(null, "--Edge:Sites:0:Hosts:1", OtherHost);

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public Task Paths_differing_only_in_case_are_answered_each_from_its_own_entry() =>
        AssertApartAsync(("/Products/A", EdgeFixture.Host), ("/products/a", EdgeFixture.Host));

    [Fact]
    public async Task An_escaped_path_is_its_own_entry_and_found_again()
    {
        var escaped = await BodyAsync("/caf%C3%A9");
        var plain = await BodyAsync("/cafe");
        var again = await BodyAsync("/caf%C3%A9");

        Assert.NotEqual(escaped.Body, plain.Body);
        Assert.StartsWith("CdnPlatform; hit", again.Status);
        Assert.Equal(escaped.Body, again.Body);
    }

    [Fact]
    public async Task The_host_s_case_and_default_port_do_not_make_another_entry()
    {
        var first = await BodyAsync("/page", EdgeFixture.Host);
        var upper = await BodyAsync("/page", EdgeFixture.Host.ToUpperInvariant());
        var port = await BodyAsync("/page", EdgeFixture.Host + ":80");

        Assert.StartsWith("CdnPlatform; hit", upper.Status);
        Assert.StartsWith("CdnPlatform; hit", port.Status);
        Assert.Equal(first.Body, upper.Body);
        Assert.Equal(first.Body, port.Body);
        Assert.Equal(1, _f.Origin.Hits("/page"));
    }

    [Fact]
    public async Task Two_hosts_of_a_site_keep_their_own_entries_for_one_path()
    {
        await AssertApartAsync(("/page", EdgeFixture.Host), ("/page", OtherHost));
        Assert.Equal(2, _f.Origin.Hits("/page"));
    }

    [Fact]
    public async Task A_query_string_takes_the_whole_way_and_still_hits()
    {
        var first = await BodyAsync("/search?q=shoes");
        var again = await BodyAsync("/search?q=shoes");
        var other = await BodyAsync("/search?q=boots");

        Assert.StartsWith("CdnPlatform; hit", again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.NotEqual(first.Body, other.Body);
    }

    // Two requests that must be two entries: different bodies, and each asked again is a hit on its own.
    private async Task AssertApartAsync((string Path, string Host) one, (string Path, string Host) other)
    {
        var first = await BodyAsync(one.Path, one.Host);
        var second = await BodyAsync(other.Path, other.Host);
        Assert.NotEqual(first.Body, second.Body);

        var firstAgain = await BodyAsync(one.Path, one.Host);
        var secondAgain = await BodyAsync(other.Path, other.Host);

        Assert.StartsWith("CdnPlatform; hit", firstAgain.Status);
        Assert.StartsWith("CdnPlatform; hit", secondAgain.Status);
        Assert.Equal(first.Body, firstAgain.Body);
        Assert.Equal(second.Body, secondAgain.Body);
    }

    private async Task<(string Body, string Status)> BodyAsync(string pathAndQuery, string host = EdgeFixture.Host)
    {
        using var response = await _f.GetAsync(pathAndQuery, host);
        return (await response.Content.ReadAsStringAsync(), response.CacheStatus());
    }
}
