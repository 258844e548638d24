using System.Text;
using CdnPlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>
/// The verifier against AWS's published SigV4 test suite (service "service", region us-east-1, 2015-08-30 12:36:00Z,
/// key AKIDEXAMPLE): if it accepts those and refuses their tampered twins, its verdicts on the client can be trusted.
/// </summary>
public sealed class SigV4VerifierTests
{
    private const string AccessKeyId = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";

    private static readonly SigV4Verifier Verifier = new("us-east-1", "service", new Dictionary<string, string> { [AccessKeyId] = Secret }, clock: null);

    private static Dictionary<string, string> Headers(string signature, string signedHeaders = "host;x-amz-date") => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "example.amazonaws.com",
        ["X-Amz-Date"] = AmzDate,
        ["Authorization"] = $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
    };

    [Theory]
    [InlineData("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    [InlineData("POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("GET", "/\u1234", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")] // get-utf8
    public void AcceptsAwsPublishedTestVectors(string method, string target, string signature) =>
        Assert.Null(Verifier.Verify(method, target, Headers(signature), []));

    [Fact]
    public void RefusesAVectorWithAnotherPath() =>
        Assert.Contains("does not match", Verifier.Verify("GET", "/other", Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), []));

    [Fact]
    public void RefusesAVectorCheckedWithTheWrongSecret()
    {
        var wrong = new SigV4Verifier("us-east-1", "service", new Dictionary<string, string> { [AccessKeyId] = Secret + "x" }, clock: null);
        Assert.Contains("does not match", wrong.Verify("GET", "/", Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), []));
    }

    [Fact]
    public void RefusesAVectorWithABody() =>
        Assert.Contains("does not match", Verifier.Verify("POST", "/", Headers("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"), "x"u8.ToArray()));

    [Fact]
    public void RefusesABodyThatIsNotTheOneHashed()
    {
        var headers = Headers("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", "host;x-amz-content-sha256;x-amz-date");
        headers["x-amz-content-sha256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; // SHA-256 of nothing
        Assert.Contains("is not the SHA-256 of the body", Verifier.Verify("POST", "/", headers, Encoding.UTF8.GetBytes("tampered")));
    }

    [Fact]
    public void RefusesAnXAmzHeaderLeftOutOfTheSignature()
    {
        var headers = Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        headers["X-Amz-Security-Token"] = "swapped";
        Assert.Contains("not signed", Verifier.Verify("GET", "/", headers, []));
    }

    [Fact]
    public void RefusesAnotherServiceOrRegion()
    {
        var cloudFront = new SigV4Verifier("us-east-1", "cloudfront", new Dictionary<string, string> { [AccessKeyId] = Secret }, clock: null);
        Assert.Contains("is not for", cloudFront.Verify("GET", "/", Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), []));
    }

    [Fact]
    public void RefusesASignatureFromTooLongAgo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero) + TimeSpan.FromMinutes(16));
        var late = new SigV4Verifier("us-east-1", "service", new Dictionary<string, string> { [AccessKeyId] = Secret }, clock);
        Assert.Contains("minutes from the service's clock", late.Verify("GET", "/", Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), []));
    }

    [Fact]
    public void RefusesAMalformedAuthorizationHeader()
    {
        var headers = Headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        headers["Authorization"] = "AWS AKIDEXAMPLE:c2lnbmF0dXJl";
        Assert.Contains("is not 'AWS4-HMAC-SHA256", Verifier.Verify("GET", "/", headers, []));
    }

    [Fact]
    public void CanonicalUri_EncodesWireEscapesAgain() =>
        Assert.StartsWith("GET\n/a%252Fb/c\n", SigV4Verifier.CanonicalRequest("GET", "/a%2Fb/c", "", [("host", "h")], "x"));
}
