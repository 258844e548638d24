using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Http.Headers;
using CdnPlatform.Edge.Storage;

namespace CdnPlatform.Edge.Delivery;

/// <summary>
/// Answers a request collapsed onto a fill from the body the fill is still receiving (<see cref="StreamingFill"/>):
/// the head the entry will be stored with, then the bytes as they come. Only a plain GET that the head answers as a
/// fresh hit takes this way; a Range, a conditional request or another variant waits for the fill to land instead,
/// and is answered from the store with everything <see cref="CachedResponseWriter"/> does.
/// </summary>
internal static class StreamedFillWriter
{
    public static bool Answers(HttpRequest request, StreamingFill fill, RequestDirectives directives, DateTimeOffset now, TimeSpan staleWhileRevalidate) =>
        HttpMethods.IsGet(request.Method)
        && request.Headers.Range.Count == 0
        && request.Headers.IfNoneMatch.Count == 0 && request.Headers.IfModifiedSince.Count == 0
        && StoragePlanner.Matches(fill.Head, request.Headers)
        && ReusePolicy.Decide(fill.Head, directives, now, staleWhileRevalidate) == ReuseDecision.Fresh;

    /// <param name="idleTimeout">How long the body may stall, as the fill itself waits on a silent origin.</param>
    public static async Task WriteAsync(HttpContext context, StreamingFill fill, DateTimeOffset now, TimeSpan idleTimeout)
    {
        var response = context.Response;
        CachedResponseWriter.WriteHead(response, fill.Head, now, CacheStatus.ForHit(TimeSpan.Zero) with { Collapsed = true, Detail = "streamed from fill" });
        response.Headers.AcceptRanges = "bytes";
        response.ContentLength = fill.Body.ExpectedLength;
        try
        {
            await fill.Body.CopyToAsync(response.Body, idleTimeout, context.RequestAborted);
        }
        catch (IOException)
        {
            // The origin broke off mid-body (the fill's own visitor is cut off the same way): a response shorter than
            // its Content-Length must end with the connection, so the client cannot take it for whole.
            context.Abort();
        }
    }
}
