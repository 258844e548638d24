using System.Net;
using System.Text.Json;
using CdnPlatform.Cluster.Purging;
using CdnPlatform.Testing;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary><c>GET /v1/purges?recent=N</c> over a real socket: the newest purges first, each edge's acknowledgement, scoped like the key.</summary>
public sealed class RecentPurgesApiTests : IAsyncLifetime
{
    private OpsControlPlane _control = null!;

    public async Task InitializeAsync() => _control = await OpsControlPlane.StartAsync();

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Fact]
    public async Task WithoutAKey_Is401()
    {
        using var response = await _control.GetAsync("/v1/purges", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    [InlineData("-1")]
    public async Task ARecentThatIsNoCount_Is400NamingIt(string recent)
    {
        using var response = await _control.GetAsync($"/v1/purges?recent={recent}");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("recent", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ListsTheNewestFirst_WithEachEdgesAcknowledgement()
    {
        var first = await _control.PurgeAsync("""{"site":"shop","urls":["http://www.shop.test/a"]}""");
        var second = await _control.PurgeAsync("""{"site":"shop","tags":["product-101"],"soft":true}""");
        var third = await _control.PurgeAsync("""{"site":"shop","all":true}""");
        Assert.All(new[] { first, second, third }, Assert.NotNull);
        await _control.Bus.AcknowledgeAsync(new PurgeAck(second!, "ams", DateTimeOffset.UtcNow));
        await _control.Bus.AcknowledgeAsync(new PurgeAck(second!, "nyc", DateTimeOffset.UtcNow));
        await _control.Bus.AcknowledgeAsync(new PurgeAck(third!, "nyc", DateTimeOffset.UtcNow));

        var list = await Eventually.ValueAsync(() => _control.GetJsonAsync("/v1/purges"),
            l => l.GetProperty("purges")[1].GetProperty("state").GetString() == "done" && l.GetProperty("purges")[0].GetProperty("edges")[1].GetProperty("applied").GetBoolean(),
            Eventually.Patience, l => $"the acknowledgements in the list: {l}");
        var purges = list.GetProperty("purges").EnumerateArray().ToList();
        var limited = await _control.GetJsonAsync("/v1/purges?recent=2");

        Assert.Equal(["ams", "nyc"], list.GetProperty("edges").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, list.GetProperty("tracked").GetInt32());
        Assert.Equal([third, second, first], purges.Select(p => p.GetProperty("id").GetString()));
        Assert.True(purges[0].GetProperty("all").GetBoolean());
        Assert.Equal("pending", purges[0].GetProperty("state").GetString());
        Assert.Equal([false, true], purges[0].GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("applied").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, purges[0].GetProperty("edges")[0].GetProperty("appliedAt").ValueKind);
        Assert.Equal(["product-101"], purges[1].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(purges[1].GetProperty("soft").GetBoolean());
        Assert.Equal(JsonValueKind.Number, purges[1].GetProperty("propagationMs").ValueKind);
        Assert.Equal(["http://www.shop.test/a"], purges[2].GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal([third, second], limited.GetProperty("purges").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AKeyScopedToOneSite_SeesThatSitesPurgesOnly()
    {
        var shop = await _control.PurgeAsync("""{"site":"shop","urls":["http://www.shop.test/a"]}""");
        var blog = await _control.PurgeAsync("""{"site":"blog","urls":["http://blog.shop.test/post"]}""", OpsControlPlane.BlogPurgeKey);

        var asBlog = await _control.GetJsonAsync("/v1/purges", OpsControlPlane.BlogPurgeKey);
        var asOps = await _control.GetJsonAsync("/v1/purges", OpsControlPlane.OpsOnlyKey);

        Assert.Equal([blog], asBlog.GetProperty("purges").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal([blog, shop], asOps.GetProperty("purges").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }
}
