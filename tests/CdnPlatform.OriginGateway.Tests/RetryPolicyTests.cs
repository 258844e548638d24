using CdnPlatform.OriginGateway.Proxy;
using static CdnPlatform.OriginGateway.Proxy.AttemptFailure;
using static CdnPlatform.OriginGateway.Proxy.RetryDecision;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>Which failed attempts go again to another node: method, failure, retries so far, response started, nodes left.</summary>
public sealed class RetryPolicyTests
{
    [Theory]
    // Reads go again on any failure of the node before the response began.
    [InlineData("GET", NotConnected, 0, false, 2, Retry)]
    [InlineData("GET", NoResponse, 0, false, 2, Retry)]
    [InlineData("GET", ResponseBroken, 1, false, 1, Retry)]
    [InlineData("HEAD", NoResponse, 0, false, 2, Retry)]
    [InlineData("OPTIONS", NoResponse, 0, false, 2, Retry)]
    // Writes only when nothing reached the node.
    [InlineData("POST", NotConnected, 0, false, 2, Retry)]
    [InlineData("POST", NoResponse, 0, false, 2, NotRetryable)]
    [InlineData("POST", ResponseBroken, 0, false, 2, NotRetryable)]
    [InlineData("PUT", NoResponse, 0, false, 2, NotRetryable)]
    [InlineData("DELETE", NotConnected, 0, false, 2, Retry)]
    // Failures that are not the node's, or that another node would repeat.
    [InlineData("GET", VisitorGone, 0, false, 2, NotRetryable)]
    [InlineData("GET", Other, 0, false, 2, NotRetryable)]
    [InlineData("GET", None, 0, false, 2, NotRetryable)]
    // Limits.
    [InlineData("GET", ResponseBroken, 0, true, 2, ResponseStarted)]
    [InlineData("GET", NoResponse, 2, false, 1, RetriesExhausted)]
    [InlineData("POST", NotConnected, 2, false, 1, RetriesExhausted)]
    [InlineData("GET", NotConnected, 1, false, 0, NoNodeLeft)]
    public void Decide(string method, AttemptFailure failure, int retriesSoFar, bool responseStarted, int untriedNodes, RetryDecision expected)
    {
        Assert.Equal(expected, RetryPolicy.Decide(method, failure, retriesSoFar, maxRetries: 2, responseStarted, untriedNodes));
    }

    [Fact]
    public void Decide_WithRetriesOff_NeverRetries()
    {
        Assert.Equal(RetriesExhausted, RetryPolicy.Decide("GET", NotConnected, retriesSoFar: 0, maxRetries: 0, responseStarted: false, untriedNodes: 2));
    }
}
