using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Which of a site's origin addresses a fetch tries, and after a failure, whether it tries another within the
/// same visitor request. Pure: the site's <see cref="OriginGroup"/>, which addresses failed recently and which this
/// fetch tried come in, an address (or none: give up) comes out. Within the group the primary's addresses come
/// first and the failover origin's after them (CloudFront's origin groups); an answer with a failover status
/// moves on to the failover origin only.
/// </summary>
public static class OriginSelection
{
    /// <summary>Whether a request may be sent twice, so a failure after it went out may still be retried elsewhere.</summary>
    public static bool MayRepeat(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <param name="group">The site's addresses, in order of preference, the failover origin's last.</param>
    /// <param name="recentlyFailed">Whether an address failed recently (and is passed over while others remain).</param>
    /// <param name="tried">Addresses this fetch already tried, the one that just failed last; empty for its first attempt.</param>
    /// <param name="failure">How the last attempt failed; null for the first attempt.</param>
    /// <param name="idempotent">Whether the request may be sent twice (<see cref="MayRepeat"/>).</param>
    /// <returns>The address to try next, or null to give up with the last failure.</returns>
    public static string? Next(OriginGroup group, Predicate<string> recentlyFailed, IReadOnlyList<string> tried,
        OriginFailure? failure, bool idempotent)
    {
        switch (failure)
        {
            case OriginFailure.Other:
            // The origin may have acted on the request: only a GET, HEAD or OPTIONS goes out again.
            case OriginFailure.NoResponse or OriginFailure.FailoverStatus when !idempotent:
                return null;
        }
        var origins = group.Addresses;
        // Once at the failover origin a fetch does not go back to the primary, which failed it already; a status
        // answer says the primary is in trouble, not one address of it, so the failover origin answers next.
        var atFailover = tried.Count > 0 && group.IsFailover(tried[^1]);
        var from = failure != OriginFailure.FailoverStatus ? (atFailover ? group.FailoverAt : 0)
            : atFailover ? origins.Count : group.FailoverAt;
        string? fallback = null;
        for (var i = from; i < origins.Count; i++)
        {
            var origin = origins[i];
            if (tried.Contains(origin))
            {
                continue;
            }
            if (!recentlyFailed(origin))
            {
                return origin;
            }
            // Every address left failed recently: try them anyway, in order, rather than fail the visitor untried.
            fallback ??= origin;
        }
        return fallback;
    }

    /// <summary>
    /// Reads an origin's answer: <see cref="OriginFailure.FailoverStatus"/> when its status is one the site fails
    /// over on, else null (the answer is the visitor's, whatever it is). Whether the fetch then moves on is
    /// <see cref="Next"/>'s to say.
    /// </summary>
    public static OriginFailure? ClassifyAnswer(int status, IReadOnlySet<int> failoverStatuses) =>
        failoverStatuses.Contains(status) ? OriginFailure.FailoverStatus : null;

    /// <summary>
    /// Reads a failed forward as an <see cref="OriginFailure"/>. <paramref name="answered"/>: whether the origin's
    /// response headers had arrived, after which the response is the visitor's and nothing is retried.
    /// </summary>
    public static OriginFailure Classify(ForwarderError error, Exception? exception, bool answered)
    {
        if (answered)
        {
            return OriginFailure.Other;
        }
        return error switch
        {
            // YARP reports a refused connection and a reset after the request went out alike, and a connect
            // timeout like an origin slow to answer: only the exception tells them apart.
            ForwarderError.Request or ForwarderError.RequestTimedOut =>
                NeverConnected(exception) ? OriginFailure.Unreached : OriginFailure.NoResponse,
            ForwarderError.RequestBodyDestination => OriginFailure.NoResponse,
            _ => OriginFailure.Other,
        };
    }

    // SocketsHttpHandler says so in HttpRequestError, or wraps a ConnectTimeout in a TimeoutException; before a
    // connection is open it has not read the request body either.
    private static bool NeverConnected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or HttpRequestException
                {
                    HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError,
                })
            {
                return true;
            }
        }
        return false;
    }
}
