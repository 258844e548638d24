using System.Net;
using System.Text;
using CdnPlatform.Http;

namespace CdnPlatform.Control.CloudFront;

/// <summary>
/// The CloudFront distributions a site also sits behind, bound from <c>Control:Sites:N:CloudFront</c>.
/// Without keys here, credentials come from the AWS SDK's default chain (environment variables
/// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>, profiles, instance roles).
/// </summary>
public sealed record CloudFrontOptions
{
    public const string DefaultEndpoint = "https://cloudfront.amazonaws.com";

    public List<string> DistributionIds { get; init; } = [];

    /// <summary>CloudFront's API root; only tests point it elsewhere.</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? SessionToken { get; init; }

    public bool HasExplicitCredentials => !string.IsNullOrEmpty(AccessKeyId);

    /// <summary>
    /// How long an invalidation refused for a passing reason (<see cref="CloudFrontException.IsTransient"/>)
    /// is retried, with exponential back-off, before its target is reported failed. 0: never retried.
    /// The default covers CloudFront finishing earlier invalidations, which takes minutes.
    /// </summary>
    public int RetryForSeconds { get; init; } = 900;

    public const int MaxRetryForSeconds = 86_400;

    /// <param name="keyPrefix">Where these options were bound from, e.g. <c>Control:Sites:0:CloudFront</c>, so a failure names its key.</param>
    public IEnumerable<string> Validate(string keyPrefix)
    {
        if (DistributionIds.Count == 0)
        {
            yield return $"{keyPrefix}:DistributionIds must name at least one distribution";
        }
        for (var i = 0; i < DistributionIds.Count; i++)
        {
            if (!IsDistributionId(DistributionIds[i]))
            {
                yield return $"{keyPrefix}:DistributionIds:{i}: '{DistributionIds[i]}' is not a CloudFront distribution ID (letters and digits, e.g. EDFDVBD6EXAMPLE)";
            }
        }
        foreach (var duplicate in DistributionIds.GroupBy(d => d, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"{keyPrefix}:DistributionIds: '{duplicate.Key}' is listed {duplicate.Count()} times";
        }
        if (!HttpUrl.TryParse(Endpoint, out var endpoint))
        {
            yield return $"{keyPrefix}:Endpoint: '{Endpoint}' is not an absolute http:// or https:// URL";
        }
        else if (endpoint.Scheme != Uri.UriSchemeHttps && !IsLoopback(endpoint))
        {
            // The signature itself reveals no secret, but a session token travels as a header.
            yield return $"{keyPrefix}:Endpoint: '{Endpoint}' must be https:// (plain http is allowed only on loopback, for tests)";
        }
        else if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            yield return $"{keyPrefix}:Endpoint: '{Endpoint}' must not carry a query or fragment";
        }
        var hasKey = !string.IsNullOrEmpty(AccessKeyId);
        var hasSecret = !string.IsNullOrEmpty(SecretAccessKey);
        if (hasKey != hasSecret)
        {
            yield return $"{keyPrefix}:{(hasKey ? "SecretAccessKey" : "AccessKeyId")} is required when {(hasKey ? "AccessKeyId" : "SecretAccessKey")} is set (or set neither to use the AWS credential chain)";
        }
        if (RetryForSeconds is < 0 or > MaxRetryForSeconds)
        {
            yield return $"{keyPrefix}:RetryForSeconds: {RetryForSeconds} is outside 0..{MaxRetryForSeconds}";
        }
        if (!string.IsNullOrEmpty(SessionToken) && !(hasKey && hasSecret))
        {
            yield return $"{keyPrefix}:SessionToken needs AccessKeyId and SecretAccessKey beside it";
        }
    }

    /// <summary>Letters and digits only, which is also what keeps the ID safe to paste into a URL path.</summary>
    public static bool IsDistributionId(string? value) => !string.IsNullOrEmpty(value) && value.Length <= 64 && value.All(char.IsAsciiLetterOrDigit);

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Keeps the secret and the session token out of logs that print the options.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"DistributionIds = [{string.Join(", ", DistributionIds)}], Endpoint = {Endpoint}, RetryForSeconds = {RetryForSeconds}, AccessKeyId = {AccessKeyId}");
        builder.Append($", SecretAccessKey = {(SecretAccessKey is null ? "" : "***")}, SessionToken = {(SessionToken is null ? "" : "***")}");
        return true;
    }
}
