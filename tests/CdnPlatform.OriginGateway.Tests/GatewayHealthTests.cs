using System.Net;
using CdnPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>
/// Active health: a node that says it is not ready leaves rotation, and comes back once it is. Passive health:
/// a node failing requests leaves rotation between probes, and gets requests again after the reactivation period.
/// </summary>
public sealed class GatewayHealthTests
{
    [Fact]
    public async Task NodeAnswering503OnHealthz_LeavesRotation_AndComesBackWhenReady()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2", "n3"]);
        var n2 = datacenter.TestNodes["n2"];

        n2.HealthStatus = StatusCodes.Status503ServiceUnavailable;
        await Eventually.TrueAsync(async () => !await datacenter.InRotationAsync("n2"), () => "n2 still in rotation while not ready");

        var before = n2.Requests;
        for (var i = 0; i < 30; i++)
        {
            var (status, node) = await datacenter.GetAsync("/page");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotEqual("n2", node);
        }
        Assert.Equal(before, n2.Requests);

        n2.HealthStatus = StatusCodes.Status200OK;
        await Eventually.TrueAsync(async () => await datacenter.InRotationAsync("n2"), () => "n2 not back in rotation once ready");
        await Eventually.TrueAsync(async () => (await datacenter.GetAsync("/page")).ServedBy == "n2", () => "n2 gets no requests once back");
    }

    // A probe every 3 s, so that the status read when the node first shows unhealthy is the one of the probe that took it
    // out: a 503 is the node's own word and takes it out at once; a probe that fails otherwise needs the threshold (2).
    [Theory]
    [InlineData(StatusCodes.Status503ServiceUnavailable, "not ready", 1)]
    [InlineData(StatusCodes.Status500InternalServerError, "failed", 2)]
    public async Task NodeSayingItIsNotReady_LeavesRotationAtItsFirstAnswer_OtherFailuresAtTheThreshold(int healthStatus, string lastProbe, int probesToLeave)
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"], "--Gateway:HealthCheckIntervalSeconds", "3");
        await Eventually.TrueAsync(async () => (await datacenter.NodeStatusAsync("n2")).GetProperty("lastProbe").GetString() == "ok",
            () => "n2 never probed ok");

        datacenter.TestNodes["n2"].HealthStatus = healthStatus;
        var status = await Eventually.ValueAsync(() => datacenter.NodeStatusAsync("n2"),
            node => node.GetProperty("active").GetString() == "unhealthy", TimeSpan.FromSeconds(20), node => node.ToString());

        Assert.Equal(lastProbe, status.GetProperty("lastProbe").GetString());
        Assert.Equal(probesToLeave, status.GetProperty("probeFailuresInARow").GetInt32());
    }

    [Fact]
    public async Task NodeAnswering5xx_LeavesRotationOnPassiveHealth_AndIsReactivated()
    {
        await using var datacenter = await LoopbackDatacenter.StartTestNodesAsync(["n1", "n2"], "--Gateway:PassiveReactivationSeconds", "1");
        var n2 = datacenter.TestNodes["n2"];
        n2.AnswerStatus = StatusCodes.Status500InternalServerError;

        // Its probe still says 200: only the requests it fails can take it out.
        await Eventually.TrueAsync(async () =>
        {
            _ = await datacenter.GetAsync("/page");
            return await datacenter.PassiveHealthAsync("n2") == "unhealthy";
        }, () => "n2 kept its place while answering 500");

        n2.AnswerStatus = StatusCodes.Status200OK;
        await Eventually.TrueAsync(async () => (await datacenter.GetAsync("/page")).ServedBy == "n2", () => "n2 never reactivated");
    }
}
