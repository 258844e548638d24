using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>Reads YARP's <see cref="ForwarderError"/> and the exception behind it as an <see cref="AttemptFailure"/>.</summary>
public static class AttemptFailures
{
    public static AttemptFailure Classify(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.None => AttemptFailure.None,
        // YARP reports a refused connection and a reset after the request went out alike (Request), and a
        // connect timeout like a node too slow to answer (RequestTimedOut): only the exception tells them apart.
        ForwarderError.Request or ForwarderError.RequestTimedOut =>
            NeverConnected(exception) ? AttemptFailure.NotConnected : AttemptFailure.NoResponse,
        // The body was (partly) sent, or headers came but could not be read: the node may have acted on it.
        ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders => AttemptFailure.NoResponse,
        ForwarderError.ResponseBodyDestination => AttemptFailure.ResponseBroken,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled => AttemptFailure.VisitorGone,
        _ => AttemptFailure.Other,
    };

    /// <summary>
    /// Whether SocketsHttpHandler failed before it had a connection, so it cannot have sent a byte (the request
    /// body is only read once a connection is open): an <see cref="HttpRequestException"/> saying so, or the
    /// <see cref="TimeoutException"/> it wraps a ConnectTimeout in.
    /// </summary>
    public static bool NeverConnected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
