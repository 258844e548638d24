using System.Net;
using System.Net.Sockets;

namespace CdnPlatform.LoadTest.Recording;

/// <summary>
/// Reads what a response says about the CDN, and what a failure was. Pure: headers and exceptions in, facts out.
/// </summary>
public static class ResponseClassifier
{
    /// <summary>
    /// Whether the last <c>Cache-Status</c> member (RFC 9211: each cache appends its own, the edge nearest the client is
    /// last) is a hit: a <c>hit</c> parameter. Null when the response has no Cache-Status at all.
    /// </summary>
    public static bool? IsHit(IEnumerable<string>? cacheStatusValues) =>
        cacheStatusValues is null ? null : IsHit(string.Join(", ", cacheStatusValues));

    /// <summary>The same for the field as one value (repeated fields joined with commas).</summary>
    public static bool? IsHit(string? cacheStatus)
    {
        if (cacheStatus is null)
        {
            return null;
        }
        var last = cacheStatus.AsSpan(cacheStatus.LastIndexOf(',') + 1);
        foreach (var range in last.Split(';'))
        {
            if (last[range].Trim().Equals("hit", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The datacenter in a node's name as the origin sends it in <c>X-Served-By</c>: <c>primary-2</c> → <c>primary</c>.</summary>
    public static string? DatacenterOf(string? servedBy)
    {
        if (string.IsNullOrWhiteSpace(servedBy))
        {
            return null;
        }
        var dash = servedBy.LastIndexOf('-');
        return dash > 0 ? servedBy[..dash] : servedBy;
    }

    /// <summary>An answer's status as an error: 5xx and 4xx (unless <paramref name="expected"/> says the journey wants it), null otherwise.</summary>
    public static ErrorKind? OfStatus(HttpStatusCode status, Func<int, bool>? expected = null)
    {
        var code = (int)status;
        if (expected?.Invoke(code) == true)
        {
            return null;
        }
        return code switch
        {
            >= 500 => ErrorKind.Status5xx,
            >= 400 => ErrorKind.Status4xx,
            _ => null,
        };
    }

    /// <summary>A failure of the request itself (no whole answer came), as opposed to a bug or the run stopping.</summary>
    public static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or TaskCanceledException or IOException or TimeoutException or SocketException;

    /// <summary>What kind of failure stopped a request that got no (whole) answer.</summary>
    public static ErrorKind OfException(Exception e)
    {
        if (e is TaskCanceledException { InnerException: TimeoutException } or TimeoutException)
        {
            return ErrorKind.Timeout;
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound => ErrorKind.Refused,
                    SocketError.TimedOut => ErrorKind.Timeout,
                    _ => ErrorKind.Reset,
                };
            }
        }
        return e switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => ErrorKind.Refused,
            HttpRequestException or IOException => ErrorKind.Reset,
            _ => ErrorKind.Other,
        };
    }
}
