using CdnPlatform.Control.CloudFront;

namespace CdnPlatform.Control.Tests.CloudFront;

public sealed class CloudFrontOptionsTests
{
    private const string Key = "Control:Sites:0:CloudFront";
    private static readonly CloudFrontOptions Valid = new() { DistributionIds = ["EDFDVBD6EXAMPLE"] };

    [Fact]
    public void Defaults_AreCloudFrontsGlobalEndpoint_AndTheCredentialChain()
    {
        Assert.Equal("https://cloudfront.amazonaws.com", Valid.Endpoint);
        Assert.False(Valid.HasExplicitCredentials);
        Assert.Empty(Valid.Validate(Key));
    }

    [Fact]
    public void NoDistribution_NamesTheKey() =>
        Assert.Contains(new CloudFrontOptions().Validate(Key), f => f.StartsWith($"{Key}:DistributionIds must"));

    [Fact]
    public void MalformedDistributionId_NamesItsIndex() =>
        Assert.Contains((Valid with { DistributionIds = ["EDFDVBD6EXAMPLE", "../x"] }).Validate(Key), f => f.StartsWith($"{Key}:DistributionIds:1:"));

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://cloudfront.amazonaws.com")]
    [InlineData("https://cloudfront.amazonaws.com/?x=1")]
    public void BadEndpoint_NamesTheKey(string endpoint) =>
        Assert.Contains((Valid with { Endpoint = endpoint }).Validate(Key), f => f.StartsWith($"{Key}:Endpoint"));

    [Theory]
    [InlineData(-1)]
    [InlineData(CloudFrontOptions.MaxRetryForSeconds + 1)]
    public void RetryForOutOfRange_NamesTheKey(int seconds) =>
        Assert.Contains((Valid with { RetryForSeconds = seconds }).Validate(Key), f => f.StartsWith($"{Key}:RetryForSeconds: {seconds}"));

    [Theory]
    [InlineData(0)]
    [InlineData(900)]
    [InlineData(CloudFrontOptions.MaxRetryForSeconds)]
    public void RetryForInRange_IsValid(int seconds) => Assert.Empty((Valid with { RetryForSeconds = seconds }).Validate(Key));

    [Fact]
    public void PlainHttpOnLoopback_IsAllowedForTests() => Assert.Empty((Valid with { Endpoint = "http://127.0.0.1:5000" }).Validate(Key));

    [Fact]
    public void KeyWithoutSecret_NamesTheMissingKey() =>
        Assert.Contains((Valid with { AccessKeyId = "AKIAEXAMPLE" }).Validate(Key), f => f.StartsWith($"{Key}:SecretAccessKey is required"));

    [Fact]
    public void SessionTokenAlone_IsRefused() =>
        Assert.Contains((Valid with { SessionToken = "token" }).Validate(Key), f => f.StartsWith($"{Key}:SessionToken"));

    [Fact]
    public void ToString_KeepsTheSecretsOut()
    {
        var text = (Valid with { AccessKeyId = "AKIAEXAMPLE", SecretAccessKey = "s3cr3t-value", SessionToken = "t0ken-value" }).ToString();
        Assert.Contains("AKIAEXAMPLE", text);
        Assert.DoesNotContain("s3cr3t-value", text);
        Assert.DoesNotContain("t0ken-value", text);
    }
}
