using System.Net;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// CloudFront refused a request, answered with something unreadable, or could not be reached or signed for.
/// <see cref="Code"/> and <see cref="ErrorMessage"/> are CloudFront's own (<c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code&gt;</c>),
/// e.g. <c>TooManyInvalidationsInProgress</c>, when it sent an error document.
/// </summary>
public sealed class CloudFrontException : Exception
{
    public CloudFrontException(
        string message,
        string distributionId,
        HttpStatusCode? statusCode = null,
        string? code = null,
        string? errorMessage = null,
        string? requestId = null,
        IReadOnlyList<CloudFrontInvalidation>? created = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        DistributionId = distributionId;
        StatusCode = statusCode;
        Code = code;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        Created = created ?? [];
    }

    public string DistributionId { get; }

    /// <summary>Null when no answer came back (network, timeout, no credentials).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string? Code { get; }
    public string? ErrorMessage { get; }

    /// <summary>CloudFront's <c>RequestId</c>, what AWS support asks for.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// Invalidations already created by earlier requests of the same call, before this one failed: a purge
    /// split over several requests can half succeed, and the caller has to report which half.
    /// </summary>
    public IReadOnlyList<CloudFrontInvalidation> Created { get; }

    /// <summary>
    /// Worth asking again later: no answer (network, timeout), CloudFront's own trouble (5xx), or being told
    /// to slow down — <c>Throttling</c>, or <c>TooManyInvalidationsInProgress</c> until earlier ones complete.
    /// Not: a refused signature, a missing distribution, a malformed request, missing credentials.
    /// </summary>
    public bool IsTransient => StatusCode switch
    {
        null => InnerException is HttpRequestException or OperationCanceledException,
        HttpStatusCode.TooManyRequests => true,
        >= HttpStatusCode.InternalServerError => true,
        _ => Code is "Throttling" or "TooManyInvalidationsInProgress" or "RequestLimitExceeded" or "ServiceUnavailable",
    };
}
