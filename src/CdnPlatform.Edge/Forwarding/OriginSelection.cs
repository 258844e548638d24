using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// Which of a site's origin addresses a fetch tries, and after a failure, whether it tries another within the
/// same visitor request. Pure: the addresses, which ones failed recently and which this fetch tried come in,
/// an address (or none: give up) comes out. Origin groups across datacenters and addresses from DNS are
/// meant to come in through this same decision.
/// </summary>
public static class OriginSelection
{
    /// <param name="origins">The site's addresses, in order of preference.</param>
    /// <param name="recentlyFailed">Whether an address failed recently (and is passed over while others remain).</param>
    /// <param name="tried">Addresses this fetch already tried; empty for its first attempt.</param>
    /// <param name="failure">How the last attempt failed; null for the first attempt.</param>
    /// <param name="idempotent">Whether the request may be sent twice (GET, HEAD).</param>
    /// <returns>The address to try next, or null to give up with the last failure.</returns>
    public static string? Next(IReadOnlyList<string> origins, Predicate<string> recentlyFailed, IReadOnlyCollection<string> tried,
        OriginFailure? failure, bool idempotent)
    {
        switch (failure)
        {
            case OriginFailure.Other:
            // The origin may have acted on the request: only a GET or HEAD goes out again.
            case OriginFailure.NoResponse when !idempotent:
                return null;
        }
        string? fallback = null;
        foreach (var origin in origins)
        {
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
