using Microsoft.Net.Http.Headers;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// A copy of a visitor's GET that outlives it, for a background revalidation: the same method, URL, fields and
/// client address, on a context of its own whose response goes nowhere but the fetch's capture.
/// </summary>
internal static class DetachedRequest
{
    public static HttpContext Copy(HttpRequest visitor, CancellationToken aborted)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Get;
        request.Protocol = visitor.Protocol;
        request.Scheme = visitor.Scheme;
        request.Host = visitor.Host;
        request.PathBase = visitor.PathBase;
        request.Path = visitor.Path;
        request.QueryString = visitor.QueryString;
        foreach (var (name, values) in visitor.Headers)
        {
            request.Headers[name] = values;
        }
        // The revalidation is for the whole stored response, with no body, whatever part the visitor asked for.
        request.Headers.Remove(HeaderNames.Range);
        request.Headers.Remove(HeaderNames.IfRange);
        request.Headers.Remove(HeaderNames.ContentLength);
        request.Headers.Remove(HeaderNames.TransferEncoding);
        context.Connection.RemoteIpAddress = visitor.HttpContext.Connection.RemoteIpAddress;
        context.Response.Body = Stream.Null;
        context.RequestAborted = aborted;
        return context;
    }
}
