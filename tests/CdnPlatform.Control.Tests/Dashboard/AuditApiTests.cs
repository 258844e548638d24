using System.Net;
using System.Text.Json;

namespace CdnPlatform.Control.Tests.Dashboard;

/// <summary><c>GET /v1/audit?recent=N</c> over a real socket: the audit lines as written, newest first, for ops keys only, bounded by <c>Control:AuditHistory</c>.</summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private OpsControlPlane _control = null!;

    public async Task InitializeAsync() => _control = await OpsControlPlane.StartAsync(settings: ["--Control:AuditHistory", "3"]);

    public async Task DisposeAsync() => await _control.DisposeAsync();

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key-0123456789", HttpStatusCode.Unauthorized)]
    [InlineData(OpsControlPlane.BlogPurgeKey, HttpStatusCode.Forbidden)]
    public async Task WithoutAnOpsKey_IsRefused(string? key, HttpStatusCode status)
    {
        using var response = await _control.GetAsync("/v1/audit", key);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task ListsTheLinesNewestFirst_AsWritten_KeepingTheLastAuditHistory()
    {
        await _control.PurgeAsync("""{"site":"shop","urls":["http://www.shop.test/1"]}""");
        await _control.PurgeAsync("""{"site":"shop","urls":["http://elsewhere.test/"]}""");
        await _control.PurgeAsync("""{"site":"shop","urls":["http://www.shop.test/3"]}""", OpsControlPlane.BlogPurgeKey);
        var last = await _control.PurgeAsync("""{"site":"blog","tags":["post-7"]}""", OpsControlPlane.BlogPurgeKey);

        var audit = await _control.GetJsonAsync("/v1/audit");
        var two = await _control.GetJsonAsync("/v1/audit?recent=2");
        using var tooMany = await _control.GetAsync("/v1/audit?recent=1001");

        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("purge", e.GetProperty("kind").GetString()));
        var lines = entries.Select(e => e.GetProperty("entry")).ToList();
        Assert.Equal(["accepted", "forbidden", "rejected"], lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.Equal(["blog-cms", "blog-cms", "default"], lines.Select(l => l.GetProperty("key").GetString()));
        Assert.Equal(last, lines[0].GetProperty("purgeId").GetString());
        Assert.Equal(1, lines[0].GetProperty("tags").GetInt32());
        Assert.StartsWith("urls[0]", lines[2].GetProperty("reason").GetString());
        Assert.Equal(2, two.GetProperty("entries").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
