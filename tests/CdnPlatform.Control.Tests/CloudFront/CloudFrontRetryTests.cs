using System.Net;
using CdnPlatform.Control.CloudFront;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>Which refusals are worth retrying, and how long to wait before each retry.</summary>
public sealed class CloudFrontRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "Throttling")]
    [InlineData(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress")]
    [InlineData(HttpStatusCode.BadRequest, "RequestLimitExceeded")]
    [InlineData(HttpStatusCode.TooManyRequests, null)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [InlineData(HttpStatusCode.GatewayTimeout, null)]
    public void PassingRefusals_AreTransient(HttpStatusCode status, string? code) =>
        Assert.True(new CloudFrontException("refused", "E1", status, code).IsTransient);

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument")]
    [InlineData(HttpStatusCode.BadRequest, "InvalidationBatchAlreadyExists")]
    [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchDistribution")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "BatchTooLarge")]
    public void RefusalsForGood_AreNotTransient(HttpStatusCode status, string? code) =>
        Assert.False(new CloudFrontException("refused", "E1", status, code).IsTransient);

    [Fact]
    public void NoAnswer_IsTransient_ButNoCredentials_IsNot()
    {
        Assert.True(new CloudFrontException("unreachable", "E1", innerException: new HttpRequestException("connection refused")).IsTransient);
        Assert.True(new CloudFrontException("timeout", "E1", innerException: new TaskCanceledException()).IsTransient);
        Assert.False(new CloudFrontException("no credentials", "E1", innerException: new InvalidOperationException("no credentials")).IsTransient);
        Assert.False(new CloudFrontException("unreadable answer", "E1").IsTransient);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(50, 60)]
    [InlineData(int.MaxValue, 60)]
    public void Backoff_DoublesUpToAMinute_WithHalfOfItJittered(int attempt, int ceilingSeconds)
    {
        var ceiling = TimeSpan.FromSeconds(ceilingSeconds);
        Assert.Equal(ceiling / 2, CloudFrontBackoff.After(attempt, 0));
        Assert.Equal(ceiling, CloudFrontBackoff.After(attempt, 1));
        Assert.InRange(CloudFrontBackoff.After(attempt, 0.5), ceiling / 2, ceiling);
    }
}
