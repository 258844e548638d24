using CdnPlatform.Control.CloudFront;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>The states a distribution's part of a purge goes through, as the status shows them.</summary>
public sealed class CloudFrontTargetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARetryUnderWay_ShowsAsSubmitting_WithTheLastRefusalStillVisible_NotAsRetryingOrFailed()
    {
        var target = new CloudFrontTarget("E1");
        target.BeginAttempt();
        target.Refused([], "Throttling: Rate exceeded", Now.AddSeconds(1));
        Assert.Equal("retrying", target.State);

        target.BeginAttempt();

        var status = target.ToStatus();
        Assert.Equal("submitting", status.State);
        Assert.Equal(2, status.Attempts);
        Assert.Null(status.RetryAt);
        Assert.Equal("Throttling: Rate exceeded", status.Error);
    }

    [Fact]
    public void ARefusalWithNoRetryPlanned_IsFailed_AndAcceptanceClearsTheError()
    {
        var target = new CloudFrontTarget("E1");
        target.BeginAttempt();
        target.Refused([], "NoSuchDistribution: gone", retryAt: null);
        Assert.Equal("failed", target.State);

        target.BeginAttempt();
        target.Accepted([Invalidation("I1", "InProgress")], Now);

        var status = target.ToStatus();
        Assert.Equal("in-progress", status.State);
        Assert.Null(status.Error);
        Assert.Equal("I1", Assert.Single(status.Invalidations).Id);
    }

    [Fact]
    public void Refresh_IsClaimedOncePerInterval_AndOnlyWhileInProgress()
    {
        var target = new CloudFrontTarget("E1");
        Assert.Null(target.ClaimRefresh(Now.AddMinutes(1), TimeSpan.FromSeconds(5)));
        target.BeginAttempt();
        target.Accepted([Invalidation("I1", "InProgress")], Now);

        Assert.Null(target.ClaimRefresh(Now.AddSeconds(4), TimeSpan.FromSeconds(5)));
        Assert.NotNull(target.ClaimRefresh(Now.AddSeconds(5), TimeSpan.FromSeconds(5)));
        // A second status read in the same moment does not ask CloudFront again.
        Assert.Null(target.ClaimRefresh(Now.AddSeconds(5), TimeSpan.FromSeconds(5)));

        target.Refreshed([Invalidation("I1", CloudFrontInvalidation.CompletedStatus)]);
        Assert.Equal("completed", target.State);
        Assert.Null(target.ClaimRefresh(Now.AddMinutes(1), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void NothingToSend_IsFailedAtOnce_WithoutAnAttempt()
    {
        var target = new CloudFrontTarget("E1");
        target.Fail("nothing in this purge can be expressed as CloudFront paths");
        var status = target.ToStatus();
        Assert.Equal("failed", status.State);
        Assert.Equal(0, status.Attempts);
    }

    private static CloudFrontInvalidation Invalidation(string id, string status) => new("E1", id, status, Now, "ref", ["/a"]);
}
