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
    public static bool? IsHit(IEnumerable<string>? cacheStatusValues)
    {
        if (cacheStatusValues is null)
        {
            return null;
        }
        string? last = null;
        foreach (var value in cacheStatusValues)
        {
            var comma = value.LastIndexOf(',');
            last = comma < 0 ? value : value[(comma + 1)..];
        }
        if (last is null)
        {
            return null;
        }
        foreach (var parameter in last.Split(';'))
        {
            if (parameter.Trim().Equals("hit", StringComparison.OrdinalIgnoreCase))
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
