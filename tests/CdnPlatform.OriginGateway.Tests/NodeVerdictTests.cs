using CdnPlatform.OriginGateway.Proxy;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>What passive health learns about a node from one proxied request.</summary>
public sealed class NodeVerdictTests
{
    [Theory]
    [InlineData(AttemptFailure.None, 200, NodeVerdict.Served)]
    [InlineData(AttemptFailure.None, 404, NodeVerdict.Served)]
    [InlineData(AttemptFailure.None, 499, NodeVerdict.Served)]
    [InlineData(AttemptFailure.None, 500, NodeVerdict.Failed)]
    [InlineData(AttemptFailure.None, 503, NodeVerdict.Failed)]
    [InlineData(AttemptFailure.NotConnected, 502, NodeVerdict.Failed)]
    [InlineData(AttemptFailure.NoResponse, 504, NodeVerdict.Failed)]
    [InlineData(AttemptFailure.ResponseBroken, 200, NodeVerdict.Failed)]
    [InlineData(AttemptFailure.VisitorGone, 400, NodeVerdict.Unknown)]
    public void Judge(AttemptFailure failure, int status, NodeVerdict expected)
    {
        Assert.Equal(expected, ConsecutiveNodeFailuresPolicy.Judge(failure, status));
    }
}
