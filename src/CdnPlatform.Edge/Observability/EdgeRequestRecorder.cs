using System.Diagnostics;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Pipeline;
using CdnPlatform.Edge.Storage;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Counts and logs every request once its answer is written: around the request path, not inside it, so no state of
/// the path needs to know it is watched. What happened is read from the answer itself (its status and Cache-Status);
/// only the site comes from the path, which found it already.
/// </summary>
internal sealed class EdgeRequestRecorder
{
    private readonly EdgeTraffic _traffic;
    private readonly AccessLogWriter _accessLog;
    private readonly TimeProvider _time;

    public EdgeRequestRecorder(EdgeTraffic traffic, AccessLogWriter accessLog, TimeProvider time)
    {
        _traffic = traffic;
        _accessLog = accessLog;
        _time = time;
    }

    public Task HandleAsync(HttpContext context, SiteRequestDelegate next)
    {
        // The clock is read only for the access log's times; counting needs none.
        var started = _accessLog.Enabled ? Stopwatch.GetTimestamp() : 0;
        Task handled;
        Site? site = null;
        try
        {
            handled = next(context, out site);
        }
        catch
        {
            Record(context, site, started, failed: true);
            throw;
        }
        if (handled.IsCompletedSuccessfully)
        {
            Record(context, site, started, failed: false);
            return handled;
        }
        return RecordAfterAsync(handled, context, site, started);
    }

    private async Task RecordAfterAsync(Task handled, HttpContext context, Site? site, long started)
    {
        try
        {
            await handled;
        }
        catch
        {
            Record(context, site, started, failed: true);
            throw;
        }
        Record(context, site, started, failed: false);
    }

    private void Record(HttpContext context, Site? site, long started, bool failed)
    {
        var request = context.Request;
        if (site is null)
        {
            if (context.Response.StatusCode == StatusCodes.Status421MisdirectedRequest)
            {
                _traffic.CountRefused();
            }
            return;
        }
        var response = context.Response;
        // An exception that escapes before the answer began becomes Kestrel's 500.
        var status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        var cacheStatus = response.Headers[HeaderRules.CacheStatus];
        var outcome = CacheOutcomes.FromMember(cacheStatus.Count > 0 ? cacheStatus[cacheStatus.Count - 1] : null);
        _traffic.Count(site, outcome, status);
        if (_accessLog.Enabled && _accessLog.Samples(status))
        {
            var completedAt = Stopwatch.GetTimestamp();
            var total = Stopwatch.GetElapsedTime(started, completedAt);
            _accessLog.Add(new AccessLogEntry(
                _time.GetUtcNow() - total, site.Name, request.Method, string.Concat(request.PathBase.Value, request.Path.Value), status,
                HasNoBody(request, status) ? 0 : response.ContentLength, outcome, outcome == CacheOutcome.Hit ? null : context.Features.Get<OriginTiming>()?.Elapsed, total,
                context.Connection.RemoteIpAddress), completedAt);
        }
    }

    // What the log's bytes count is the body: a HEAD, a 204 and a 304 send none whatever their Content-Length says.
    private static bool HasNoBody(HttpRequest request, int status) =>
        HttpMethods.IsHead(request.Method) || status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified;
}
