using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CdnPlatform.Testing;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>
/// <c>PUT /gateway/writes</c>, what a switchover sets: held writes reach no node until the hold ends, reads pass
/// meanwhile, a hold that lasts too long answers 503 with nothing done, and forwarded writes reach the other
/// datacenter with the visitor's Host.
/// </summary>
public sealed class GatewayWriteTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> SetAsync(HttpClient client, string body, string? key = TestHosts.AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/gateway/writes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await client.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, answer.RootElement.Clone());
    }

    private static async Task<JsonElement> StateAsync(HttpClient client) => JsonDocument.Parse(await client.GetStringAsync("/gateway/writes")).RootElement.Clone();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/cart/add") { Content = new StringContent("product=101") };
        request.Headers.Add(TestNode.RequestIdHeader, id);
        request.Headers.Host = "www.shop.test";
        return client.SendAsync(request);
    }

    [Fact]
    public async Task HeldWrite_ReachesNoNode_UntilTheHoldEnds_WhileReadsPass()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"]);
        using var client = TestHosts.ClientFor(datacenter.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;

        var (status, held) = await SetAsync(client, """{"mode":"hold"}""");
        var write = PostAsync(client, "write-1");
        await Eventually.TrueAsync(async () => (await StateAsync(client)).GetProperty("held").GetInt32() == 1, Eventually.Patience, "the write is held");
        var (read, _) = await datacenter.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hold", held.GetProperty("mode").GetString());
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.False(write.IsCompleted);
        Assert.DoesNotContain(datacenter.TestNodes.Values, n => n.Received("write-1"));

        await SetAsync(client, """{"mode":"open"}""");
        using var done = await write;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Single(datacenter.TestNodes.Values, n => n.Received("write-1"));
        Assert.Equal(0, (await StateAsync(client)).GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task HoldOutlastingTheLimit_Is503WithRetryAfter_AndNothingDone()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1"], "--Gateway:WriteHoldSeconds", "1");
        await SetAsync(datacenter.Client, """{"mode":"hold"}""");

        using var write = await PostAsync(datacenter.Client, "write-2");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.NotNull(write.Headers.RetryAfter);
        Assert.Contains("nothing was done", await write.Content.ReadAsStringAsync());
        Assert.False(datacenter.TestNodes["n1"].Received("write-2"));
    }

    [Fact]
    public async Task WritesPastMaxHeldWrites_AreRefusedAtOnce_WithNothingDone_WhileTheHeldOnesAreDoneOnce()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1"], "--Gateway:MaxHeldWrites", "2");
        using var client = TestHosts.ClientFor(datacenter.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        await SetAsync(client, """{"mode":"hold"}""");

        var first = PostAsync(client, "held-1");
        var second = PostAsync(client, "held-2");
        await Eventually.TrueAsync(async () => (await StateAsync(client)).GetProperty("held").GetInt32() == 2, Eventually.Patience, "two writes are held");
        // Refused at once: a gateway without the limit would hold it too, and this would time out.
        using var third = await PostAsync(client, "held-3").WaitAsync(Eventually.Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Contains("2 writes are held at this gateway already (Gateway:MaxHeldWrites); nothing was done", await third.Content.ReadAsStringAsync());
        Assert.False(first.IsCompleted || second.IsCompleted);

        await SetAsync(client, """{"mode":"open"}""");
        using var one = await first;
        using var two = await second;
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (one.StatusCode, two.StatusCode));
        Assert.True(datacenter.TestNodes["n1"].Received("held-1") && datacenter.TestNodes["n1"].Received("held-2"));
        Assert.False(datacenter.TestNodes["n1"].Received("held-3"));
        Assert.Equal(0, (await StateAsync(client)).GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task ForwardedWrite_GoesToTheOtherDatacenter_WithTheVisitorsHost_ReadsStayHere()
    {
        await using var primary = await LoopbackDatacenter.StartTestNodesAsync(["p1"]);
        await using var dr = await LoopbackDatacenter.StartTestNodesAsync(["d1"]);
        var dead = $"http://127.0.0.1:{FreePort.OnLoopback()}/";

        // The first DR gateway is down: the write moves on to the second, since nothing reached the first.
        var (status, body) = await SetAsync(primary.Client, $$"""{"mode":"forward","forwardTo":["{{dead}}","{{dr.Gateway.Address}}"]}""");
        using var write = await PostAsync(primary.Client, "write-3");
        var (_, reader) = await primary.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([dead, dr.Gateway.Address.ToString()], body.GetProperty("forwardTo").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        Assert.Equal("d1", write.Headers.GetValues("X-Served-By").Single());
        Assert.Equal("www.shop.test", write.Headers.GetValues("X-Seen-Host").Single());
        Assert.False(primary.TestNodes["p1"].Received("write-3"));
        Assert.Equal("p1", reader);
    }

    [Fact]
    public async Task AForwardedWriteThatReachesNoGateway_Waits_AndIsDoneHereOnce_WhenWritesOpen()
    {
        await using var dr = await LoopbackDatacenter.StartTestNodesAsync(["d1"]);
        using var client = TestHosts.ClientFor(dr.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var dead = new[] { $"http://127.0.0.1:{FreePort.OnLoopback()}/", $"http://127.0.0.1:{FreePort.OnLoopback()}/" };
        await SetAsync(client, $$"""{"mode":"forward","forwardTo":["{{dead[0]}}","{{dead[1]}}"]}""");

        // The active datacenter is gone: the write waits here for it, or for a failover to open this one's writes.
        var write = PostAsync(client, "write-5");
        await Eventually.TrueAsync(async () => (await StateAsync(client)).GetProperty("held").GetInt32() == 1, Eventually.Patience, "the write waits");
        Assert.False(write.IsCompleted);
        Assert.False(dr.TestNodes["d1"].Received("write-5"));

        await SetAsync(client, """{"mode":"open"}""");
        using var done = await write;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("d1", done.Headers.GetValues("X-Served-By").Single());
        Assert.Single(dr.TestNodes.Values, n => n.Received("write-5"));
        Assert.Equal(0, (await StateAsync(client)).GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task AForwardedWriteThatReachesNoGateway_GoesThereOnceOneAnswers()
    {
        await using var dr = await LoopbackDatacenter.StartTestNodesAsync(["d1"], "--Gateway:WriteHoldSeconds", "30");
        var port = FreePort.OnLoopback();
        await SetAsync(dr.Client, $$"""{"mode":"forward","forwardTo":["http://127.0.0.1:{{port}}/"]}""");
        using var client = TestHosts.ClientFor(dr.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var write = PostAsync(client, "write-6");
        await Eventually.TrueAsync(async () => (await StateAsync(client)).GetProperty("held").GetInt32() == 1, Eventually.Patience, "the write waits");

        // The active datacenter's gateway comes back on its address (a blip, not a loss): the write goes there.
        await using var primary = await LoopbackDatacenter.StartTestNodesAsync(["p1"], "--urls", $"http://127.0.0.1:{port}");
        using var done = await write;

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("p1", done.Headers.GetValues("X-Served-By").Single());
        Assert.False(dr.TestNodes["d1"].Received("write-6"));
    }

    [Fact]
    public async Task AForwardedWriteThatReachesNoGatewayForTheWholeLimit_Is503WithRetryAfter_AndNothingDone()
    {
        await using var dr = await LoopbackDatacenter.StartTestNodesAsync(["d1"], "--Gateway:WriteHoldSeconds", "1");
        await SetAsync(dr.Client, $$"""{"mode":"forward","forwardTo":["http://127.0.0.1:{{FreePort.OnLoopback()}}/"]}""");

        using var write = await PostAsync(dr.Client, "write-7");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.NotNull(write.Headers.RetryAfter);
        Assert.StartsWith("no gateway of the active datacenter answers", await write.Content.ReadAsStringAsync());
        Assert.False(dr.TestNodes["d1"].Received("write-7"));
        Assert.Equal(0, (await StateAsync(dr.Client)).GetProperty("held").GetInt32());
    }

    /// <summary>A write through <paramref name="client"/> (a gateway over <paramref name="node"/>, which holds it), once it is at the node.</summary>
    private static async Task<Task<HttpResponseMessage>> WriteHeldAtAsync(HttpClient client, TestNode node, string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hold") { Content = new StringContent("product=101") };
        request.Headers.Add(TestNode.RequestIdHeader, id);
        var write = client.SendAsync(request);
        await node.Holding.WaitAsync(Eventually.Patience);
        return write;
    }

    [Fact]
    public async Task AWriteAnsweredAfterWritesMovedToAnotherDatacenter_IsNotAcknowledged()
    {
        // A failover's order at the datacenter it leaves: hold, then forward, with a write still at a node throughout
        // (its Redis paused). The node's answer comes after both; the store it wrote to is being replaced.
        await using var primary = await LoopbackDatacenter.StartTestNodesAsync(["p1"]);
        await using var dr = await LoopbackDatacenter.StartTestNodesAsync(["d1"]);
        using var client = TestHosts.ClientFor(primary.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var write = await WriteHeldAtAsync(client, primary.TestNodes["p1"], "late-1");

        await SetAsync(client, """{"mode":"hold"}""");
        await SetAsync(client, $$"""{"mode":"forward","forwardTo":["{{dr.Gateway.Address}}"]}""");
        primary.TestNodes["p1"].Release();
        using var answer = await write.WaitAsync(Eventually.Patience);

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.StartsWith("this datacenter stopped taking writes while this one was at its node", await answer.Content.ReadAsStringAsync());
        Assert.False(answer.Headers.Contains("X-Served-By"));
        Assert.True(primary.TestNodes["p1"].Received("late-1"));
        Assert.Equal(0, (await StateAsync(client)).GetProperty("inFlight").GetInt32());
        // The gateway itself goes on: the next write is forwarded, a read still served here.
        using var next = await PostAsync(client, "after-1");
        Assert.Equal("d1", next.Headers.GetValues("X-Served-By").Single());
        Assert.Equal("p1", (await primary.GetAsync("/page")).ServedBy);
    }

    [Fact]
    public async Task AWriteAnsweredDuringASwitchoversHold_IsAcknowledged()
    {
        // A switchover waits for exactly this write before it reads the primary's offset: its answer must go through.
        await using var primary = await LoopbackDatacenter.StartTestNodesAsync(["p1"]);
        using var client = TestHosts.ClientFor(primary.Gateway.Address);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var write = await WriteHeldAtAsync(client, primary.TestNodes["p1"], "drained-1");

        await SetAsync(client, """{"mode":"hold"}""");
        Assert.Equal(1, (await StateAsync(client)).GetProperty("inFlight").GetInt32());
        primary.TestNodes["p1"].Release();
        using var answer = await write.WaitAsync(Eventually.Patience);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("p1", answer.Headers.GetValues("X-Served-By").Single());
        Assert.Equal(0, (await StateAsync(client)).GetProperty("inFlight").GetInt32());
    }

    [Fact]
    public async Task WriteControl_NeedsTheAdminKey_AndNamesWhatIsWrong()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1"]);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SetAsync(datacenter.Client, """{"mode":"hold"}""", key: null)).Status);
        var unknown = await SetAsync(datacenter.Client, """{"mode":"closed"}""");
        var numeric = await SetAsync(datacenter.Client, """{"mode":"1"}""");
        var noTargets = await SetAsync(datacenter.Client, """{"mode":"forward"}""");
        var badTarget = await SetAsync(datacenter.Client, """{"mode":"forward","forwardTo":["ftp://x"]}""");
        var stray = await SetAsync(datacenter.Client, """{"mode":"open","forwardTo":["http://127.0.22.1:8080"]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "mode must be \"open\", \"hold\" or \"forward\""), (unknown.Status, unknown.Body.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, numeric.Status);
        Assert.Equal("mode \"forward\" needs forwardTo: the other datacenter's gateway URLs", noTargets.Body.GetProperty("error").GetString());
        Assert.Equal("forwardTo[0] is not an absolute http:// or https:// URL", badTarget.Body.GetProperty("error").GetString());
        Assert.Equal("forwardTo goes with mode \"forward\" only", stray.Body.GetProperty("error").GetString());
        // None of them changed anything: writes still go to the nodes.
        Assert.Equal("open", (await StateAsync(datacenter.Client)).GetProperty("mode").GetString());
        using var write = await PostAsync(datacenter.Client, "write-4");
        Assert.True(datacenter.TestNodes["n1"].Received("write-4"));
    }
}
