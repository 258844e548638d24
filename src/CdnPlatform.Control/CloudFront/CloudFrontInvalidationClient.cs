using System.Net;
using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// CloudFront's CreateInvalidation and GetInvalidation over plain HttpClient (the package source has no
/// AWSSDK.CloudFront), each request signed with Signature Version 4 by AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>, with credentials from the options or else the SDK's default chain.
/// </summary>
public sealed partial class CloudFrontInvalidationClient : IDisposable
{
    /// <summary>CloudFront allows 3,000 individual paths in progress per distribution, so no one request may carry more.</summary>
    public const int MaxPathsPerInvalidation = 3000;

    /// <summary>Wildcard paths (ending in <c>*</c>) have their own, smaller allowance: 15 in progress per distribution.</summary>
    public const int MaxWildcardPathsPerInvalidation = 15;

    public const int MaxPathLength = 4000;

    /// <summary>CloudFront is a global service, signed for us-east-1 whatever region the caller lives in.</summary>
    public const string SigningService = "cloudfront";

    private const string ApiVersion = "2020-05-31";
    private const string XmlMediaType = "application/xml";

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<CloudFrontInvalidationClient> _logger;
    private readonly string _apiRoot;
    private readonly AWSCredentials? _explicitCredentials;
    private readonly DefaultAWSCredentialsIdentityResolver? _credentialChain;

    /// <param name="http">Sends the signed requests; its handler should not follow redirects, which would replay a signature made for another URL.</param>
    /// <param name="options">Validated already (<see cref="CloudFrontOptions.Validate"/>); only the endpoint and credentials are read here.</param>
    public CloudFrontInvalidationClient(HttpClient http, CloudFrontOptions options, TimeProvider time, ILogger<CloudFrontInvalidationClient> logger)
    {
        _http = http;
        _time = time;
        _logger = logger;
        _apiRoot = $"{options.Endpoint.TrimEnd('/')}/{ApiVersion}/distribution/";
        if (options.HasExplicitCredentials)
        {
            _explicitCredentials = string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        }
        else
        {
            // Resolved per request, not here: the chain caches, refreshes expiring role credentials, and
            // notices changed environment variables and profile files.
            _credentialChain = new DefaultAWSCredentialsIdentityResolver();
        }
    }

    /// <summary>
    /// Invalidates <paramref name="paths"/> on one distribution, split into as many requests as CloudFront's
    /// limits need (<see cref="MaxPathsPerInvalidation"/> paths and <see cref="MaxWildcardPathsPerInvalidation"/>
    /// wildcards each), sent one after another in order.
    /// </summary>
    /// <param name="paths">CloudFront paths (see <see cref="CloudFrontPaths"/>): each starts with <c>/</c>, at most 4,000 characters, <c>*</c> only last. Duplicates are sent once.</param>
    /// <param name="callerReference">
    /// Makes a retry idempotent: CloudFront answers a repeated reference with the same paths with the invalidation it
    /// already made. When the paths need several requests, request n (from 1) uses <c>{callerReference}-{n}</c>.
    /// </param>
    /// <returns>One invalidation per request sent, in order; empty when there were no paths.</returns>
    /// <exception cref="CloudFrontException">
    /// A request failed. Since each distribution has only 3,000 individual paths (and 15 wildcards) in progress at a
    /// time, a later request of a large purge is likely refused with <c>TooManyInvalidationsInProgress</c> until the
    /// earlier ones complete: <see cref="CloudFrontException.Created"/> lists the invalidations that did go through.
    /// </exception>
    /// <exception cref="ArgumentException">A malformed distribution ID, caller reference or path; nothing was sent.</exception>
    public async Task<IReadOnlyList<CloudFrontInvalidation>> CreateAsync(
        string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        RequireId(distributionId, nameof(distributionId));
        if (string.IsNullOrWhiteSpace(callerReference))
        {
            throw new ArgumentException("a caller reference is required", nameof(callerReference));
        }
        for (var i = 0; i < paths.Count; i++)
        {
            if (Refuse(paths[i]) is { } reason)
            {
                throw new ArgumentException($"paths[{i}] '{paths[i]}' {reason}", nameof(paths));
            }
        }

        var batches = Batch(paths);
        var created = new List<CloudFrontInvalidation>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            var reference = batches.Count == 1 ? callerReference : $"{callerReference}-{i + 1}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_apiRoot}{distributionId}/invalidation")
            {
                Content = new ByteArrayContent(CloudFrontXml.InvalidationBatch(batches[i], reference)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(XmlMediaType);
            var invalidation = await SendAsync(request, distributionId, created, cancellationToken);
            Log.Created(_logger, distributionId, invalidation.Id, batches[i].Count, i + 1, batches.Count);
            created.Add(invalidation);
        }
        return created;
    }

    /// <exception cref="CloudFrontException">CloudFront refused (e.g. <c>NoSuchInvalidation</c>) or could not be reached.</exception>
    public async Task<CloudFrontInvalidation> GetAsync(string distributionId, string invalidationId, CancellationToken cancellationToken)
    {
        RequireId(distributionId, nameof(distributionId));
        RequireId(invalidationId, nameof(invalidationId));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_apiRoot}{distributionId}/invalidation/{invalidationId}");
        return await SendAsync(request, distributionId, [], cancellationToken);
    }

    /// <summary>
    /// Splits paths into requests in their given order, closing a request when the next path's kind (individual
    /// or wildcard) has no room left in it: the two allowances are counted separately by CloudFront.
    /// </summary>
    internal static List<List<string>> Batch(IReadOnlyList<string> paths)
    {
        var batches = new List<List<string>>();
        var current = new List<string>();
        int individual = 0, wildcards = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!seen.Add(path))
            {
                continue;
            }
            var isWildcard = path.EndsWith('*');
            if (isWildcard ? wildcards == MaxWildcardPathsPerInvalidation : individual == MaxPathsPerInvalidation)
            {
                batches.Add(current);
                current = [];
                individual = wildcards = 0;
            }
            current.Add(path);
            if (isWildcard)
            {
                wildcards++;
            }
            else
            {
                individual++;
            }
        }
        if (current.Count > 0)
        {
            batches.Add(current);
        }
        return batches;
    }

    /// <summary>Why CloudFront would refuse <paramref name="path"/> as an invalidation path, or null if it would not.</summary>
    internal static string? Refuse(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return "must start with '/'";
        }
        if (path.Length > MaxPathLength)
        {
            return $"is {path.Length} characters; CloudFront takes at most {MaxPathLength}";
        }
        var star = path.IndexOf('*');
        if (star >= 0 && star != path.Length - 1)
        {
            return "has a '*' before its end; CloudFront takes a wildcard only as the last character";
        }
        if (path.Any(c => c <= ' ' || c >= '\u007f'))
        {
            return "has spaces, control or non-ASCII characters, which must be percent-encoded";
        }
        return null;
    }

    private static void RequireId(string id, string parameter)
    {
        if (!CloudFrontOptions.IsDistributionId(id))
        {
            throw new ArgumentException($"'{id}' is not a CloudFront ID (letters and digits)", parameter);
        }
    }

    private async Task<CloudFrontInvalidation> SendAsync(
        HttpRequestMessage request, string distributionId, IReadOnlyList<CloudFrontInvalidation> created, CancellationToken cancellationToken)
    {
        var what = $"{request.Method} {request.RequestUri!.AbsolutePath}";
        await SignAsync(request, distributionId, created, cancellationToken);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CloudFrontException($"CloudFront could not be reached for {what}: {e.Message}", distributionId, created: created, innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudFrontException($"CloudFront did not answer {what} in time", distributionId, created: created, innerException: e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var (code, message, requestId) = CloudFrontXml.ReadError(body);
                requestId ??= response.Headers.TryGetValues("x-amz-request-id", out var ids) ? ids.FirstOrDefault() : null;
                Log.Refused(_logger, what, (int)response.StatusCode, code ?? "(no error document)", message ?? "");
                var summary = code is null
                    ? $"CloudFront answered {what} with {(int)response.StatusCode} {response.ReasonPhrase} and no error document"
                    : $"CloudFront refused {what}: {(int)response.StatusCode} {code}: {message}";
                throw new CloudFrontException(summary, distributionId, response.StatusCode, code, message, requestId, created);
            }
            return CloudFrontXml.ReadInvalidation(distributionId, body)
                ?? throw new CloudFrontException(
                    $"CloudFront answered {what} with {(int)response.StatusCode} but no readable <Invalidation> document",
                    distributionId, response.StatusCode, created: created);
        }
    }

    private async Task SignAsync(
        HttpRequestMessage request, string distributionId, IReadOnlyList<CloudFrontInvalidation> created, CancellationToken cancellationToken)
    {
        AWSCredentials credentials;
        try
        {
            credentials = _explicitCredentials ?? await _credentialChain!.ResolveIdentityAsync(null, cancellationToken);
        }
        catch (AmazonClientException e)
        {
            throw new CloudFrontException(
                $"no AWS credentials for CloudFront: set AccessKeyId/SecretAccessKey or provide them to the AWS credential chain ({e.Message})",
                distributionId, created: created, innerException: e);
        }

        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri };
        if (request.Content is { } content)
        {
            signing.Content = await content.ReadAsByteArrayAsync(cancellationToken);
            // Signed too, so a proxy cannot relabel the body.
            signing.Headers["Content-Type"] = content.Headers.ContentType!.ToString();
        }
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.USEast1,
            Service = SigningService,
            // The project's one clock, so tests can pin the signing time.
            SignedAt = _time.GetUtcNow().UtcDateTime,
        }, cancellationToken);

        foreach (var (name, value) in signed.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                continue; // HttpClient writes these from the URI and the content, with the values that were signed.
            }
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    public void Dispose() => _credentialChain?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information,
            Message = "CloudFront invalidation {InvalidationId} created on {DistributionId} for {PathCount} paths (request {Request} of {Requests})")]
        public static partial void Created(ILogger logger, string distributionId, string invalidationId, int pathCount, int request, int requests);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "CloudFront refused {Request}: {Status} {Code} {Message}")]
        public static partial void Refused(ILogger logger, string request, int status, string code, string message);
    }
}
