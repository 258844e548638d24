using System.Net;
using System.Text.RegularExpressions;
using CdnPlatform.Control.CloudFront;
using CdnPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>The client against <see cref="FakeCloudFront"/> over a real socket, every signature checked independently.</summary>
public sealed partial class CloudFrontInvalidationClientTests : IAsyncLifetime
{
    private const string Distribution = "EDFDVBD6EXAMPLE";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeCloudFront _cloudFront = null!;

    public async Task InitializeAsync() => _cloudFront = await FakeCloudFront.StartAsync(_clock);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cloudFront.DisposeAsync();
    }

    private CloudFrontInvalidationClient Client(string secret = FakeCloudFront.SecretAccessKey, string? sessionToken = null, bool explicitKeys = true) =>
        new(_http, new CloudFrontOptions
        {
            DistributionIds = [Distribution],
            Endpoint = _cloudFront.Endpoint.ToString(),
            AccessKeyId = explicitKeys ? FakeCloudFront.AccessKeyId : null,
            SecretAccessKey = explicitKeys ? secret : null,
            SessionToken = sessionToken,
        }, _clock, NullLogger<CloudFrontInvalidationClient>.Instance);

    [Fact]
    public async Task Create_SendsADocumentedBatch_SignedSoAnIndependentVerifierAccepts()
    {
        using var client = Client();
        var created = await client.CreateAsync(Distribution, ["/index.html", "/images/*"], "purge-1", CancellationToken.None);

        var invalidation = Assert.Single(created);
        Assert.Equal("InProgress", invalidation.Status);
        Assert.StartsWith("I", invalidation.Id);
        Assert.Equal(Distribution, invalidation.DistributionId);
        Assert.Equal("purge-1", invalidation.CallerReference);
        Assert.Equal(["/index.html", "/images/*"], invalidation.Paths);
        Assert.Equal(_clock.GetUtcNow(), invalidation.CreateTime);

        var request = Assert.Single(_cloudFront.Requests);
        Assert.Null(request.SignatureFailure);
        Assert.Empty(request.SchemaFailures);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2020-05-31/distribution/{Distribution}/invalidation", request.RawTarget);
        Assert.Equal("application/xml", request.Header("Content-Type"));
        Assert.Equal("purge-1", request.CallerReference);
        Assert.Equal(["/index.html", "/images/*"], request.Paths);
        // Signed at the injected clock's time, not the machine's.
        Assert.Equal("20261122T120000Z", request.Header("x-amz-date"));
        var authorization = AuthorizationFormat().Match(request.Header("Authorization")!);
        Assert.True(authorization.Success, request.Header("Authorization"));
        Assert.Equal($"{FakeCloudFront.AccessKeyId}/20261122/us-east-1/cloudfront/aws4_request", authorization.Groups["credential"].Value);
        Assert.Equal("content-type;host;x-amz-content-sha256;x-amz-date", authorization.Groups["signed"].Value);
    }

    [Fact]
    public async Task Get_ReadsTheInvalidation_WhichCompletes()
    {
        using var client = Client();
        var created = Assert.Single(await client.CreateAsync(Distribution, ["/a"], "purge-2", CancellationToken.None));

        var later = await client.GetAsync(Distribution, created.Id, CancellationToken.None);

        Assert.Equal(created.Id, later.Id);
        Assert.Equal("Completed", later.Status);
        Assert.True(later.IsCompleted);
        Assert.Equal(["/a"], later.Paths);
        var get = _cloudFront.Requests.Last();
        Assert.Equal("GET", get.Method);
        Assert.Equal($"/2020-05-31/distribution/{Distribution}/invalidation/{created.Id}", get.RawTarget);
        Assert.Null(get.SignatureFailure);
    }

    [Fact]
    public async Task WrongSecret_FailsVerification_AndSurfacesCloudFrontsError()
    {
        using var client = Client(secret: "not-the-secret-the-service-knows");

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.CreateAsync(Distribution, ["/a"], "purge-3", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Contains("does not match", Assert.Single(_cloudFront.Requests).SignatureFailure);
    }

    [Fact]
    public async Task MoreThan3000Paths_AreSplitIntoSeveralRequests_EachWithinTheLimit()
    {
        using var client = Client();
        var paths = Enumerable.Range(0, 7001).Select(i => $"/products/{i}.html").ToList();

        var created = await client.CreateAsync(Distribution, paths, "purge-4", CancellationToken.None);

        Assert.Equal(3, created.Count);
        var requests = _cloudFront.Requests.ToList();
        Assert.Equal([3000, 3000, 1001], requests.Select(r => r.Paths.Count));
        Assert.Equal(["purge-4-1", "purge-4-2", "purge-4-3"], requests.Select(r => r.CallerReference));
        Assert.Equal(paths, requests.SelectMany(r => r.Paths));
        Assert.All(requests, r => Assert.Null(r.SignatureFailure));
        Assert.All(requests, r => Assert.Empty(r.SchemaFailures));
        Assert.Equal(requests.Count, created.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task Wildcards_AreAtMost15PerRequest()
    {
        using var client = Client();
        var paths = Enumerable.Range(0, 20).Select(i => $"/section{i}/*").Concat(["/a", "/b"]).ToList();

        var created = await client.CreateAsync(Distribution, paths, "purge-5", CancellationToken.None);

        Assert.Equal(2, created.Count);
        Assert.Equal([15, 5], _cloudFront.Requests.Select(r => r.Paths.Count(p => p.EndsWith('*'))));
        Assert.Equal(paths, _cloudFront.Requests.SelectMany(r => r.Paths));
    }

    [Fact]
    public async Task ErrorDocument_IsParsedIntoCodeMessageAndRequestId()
    {
        _cloudFront.Refuse = _ => (400, "TooManyInvalidationsInProgress",
            "Your request contains too many invalidations. Wait for an invalidation to complete and try again.");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.CreateAsync(Distribution, ["/a"], "purge-6", CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("TooManyInvalidationsInProgress", error.Code);
        Assert.StartsWith("Your request contains too many invalidations", error.ErrorMessage);
        Assert.Equal("req-TooManyInvalidationsInProgress", error.RequestId);
        Assert.Equal(Distribution, error.DistributionId);
        Assert.Contains("TooManyInvalidationsInProgress", error.Message);
        Assert.Empty(error.Created);
    }

    [Fact]
    public async Task LaterRequestRefused_ReportsTheInvalidationsAlreadyCreated()
    {
        // What CloudFront does to the second 3,000 while the first 3,000 are still in progress.
        _cloudFront.Refuse = r => r.CallerReference == "purge-7-2" ? (400, "TooManyInvalidationsInProgress", "wait") : null;
        using var client = Client();
        var paths = Enumerable.Range(0, 3500).Select(i => $"/p/{i}").ToList();

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.CreateAsync(Distribution, paths, "purge-7", CancellationToken.None));

        Assert.Equal("TooManyInvalidationsInProgress", error.Code);
        Assert.Equal(3000, Assert.Single(error.Created).Paths.Count);
    }

    [Fact]
    public async Task AnswerWithoutErrorDocument_StillFailsClearly()
    {
        _cloudFront.Refuse = _ => (502, null, "bad gateway");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.CreateAsync(Distribution, ["/a"], "purge-8", CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Null(error.Code);
        Assert.Contains("no error document", error.Message);
    }

    [Fact]
    public async Task UnknownInvalidation_IsCloudFrontsNoSuchInvalidation()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.GetAsync(Distribution, "INOSUCHTHING", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("NoSuchInvalidation", error.Code);
    }

    [Fact]
    public async Task SessionToken_IsSentAndSigned()
    {
        using var client = Client(sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN");

        await client.CreateAsync(Distribution, ["/a"], "purge-9", CancellationToken.None);

        var request = Assert.Single(_cloudFront.Requests);
        Assert.Null(request.SignatureFailure);
        Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN", request.Header("x-amz-security-token"));
        Assert.Contains("x-amz-security-token", request.Header("Authorization"));
    }

    [Theory]
    [InlineData("images/a.png")]
    [InlineData("/images/*.png")]
    [InlineData("/a b")]
    [InlineData("")]
    public async Task PathsCloudFrontWouldRefuse_AreRefusedBeforeSending(string path)
    {
        using var client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(Distribution, ["/ok", path], "purge-10", CancellationToken.None));

        Assert.Empty(_cloudFront.Requests);
    }

    [Fact]
    public async Task NoPaths_SendNothing()
    {
        using var client = Client();

        Assert.Empty(await client.CreateAsync(Distribution, [], "purge-11", CancellationToken.None));
        Assert.Empty(_cloudFront.Requests);
    }

    [Fact]
    public async Task CredentialsFromEnvironmentVariables_ComeThroughTheSdkChain()
    {
        const string key = "AKIAFROMENVIRONMENT1";
        const string secret = "environment/Secret+0123456789abcdefghijklm";
        _cloudFront.Accept(key, secret);
        using var environment = new EnvironmentOverride(new()
        {
            ["AWS_ACCESS_KEY_ID"] = key,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_SESSION_TOKEN"] = null,
            // Keep the machine's own profiles and instance role out of the chain.
            ["AWS_PROFILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws/credentials",
            ["AWS_CONFIG_FILE"] = "/nonexistent/aws/config",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });
        using var client = Client(explicitKeys: false);

        await client.CreateAsync(Distribution, ["/a"], "purge-12", CancellationToken.None);

        var request = Assert.Single(_cloudFront.Requests);
        Assert.Null(request.SignatureFailure);
        Assert.Contains($"Credential={key}/", request.Header("Authorization"));
    }

    [Fact]
    public async Task NoCredentialsAnywhere_FailsClearly_WithoutSending()
    {
        using var environment = new EnvironmentOverride(new()
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws/credentials",
            ["AWS_CONFIG_FILE"] = "/nonexistent/aws/config",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        });
        using var client = Client(explicitKeys: false);

        var error = await Assert.ThrowsAsync<CloudFrontException>(() => client.CreateAsync(Distribution, ["/a"], "purge-13", CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.StartsWith("no AWS credentials for CloudFront", error.Message);
        Assert.Empty(_cloudFront.Requests);
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<credential>[A-Z0-9]+/\d{8}/[a-z0-9-]+/[a-z0-9]+/aws4_request), SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=[0-9a-f]{64}$")]
    private static partial Regex AuthorizationFormat();
}
