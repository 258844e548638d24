using System.Text;
using StackExchange.Redis;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Turns "the datacenter's Redis did not answer" into 503 with <c>Retry-After</c> instead of a bare 500: the
/// edges then serve what they hold (<c>stale-if-error</c>), the gateways' health checks take the node out
/// (its <c>/healthz</c> says why), and a CMS caller knows to try again. Nothing was changed by the request
/// when this happens before its first write, and a publish that failed after it answers the same way.
/// <para>
/// Also a 503 instead of a bare 500: a page whose render this request shared with another one (output caching renders
/// a page once for the requests that ask for it at the same time, and hands each the first one's result) when that
/// other request was given up by its client. Its cancellation is then every sharer's exception. Seen when a stalled
/// Redis resumed: the edges had given up the first requests after their response timeout, and the requests that had
/// joined them from other edges got 500s, which edges pass on; a 503 is tried at the next address or served stale.
/// </para>
/// <para>
/// And at once, without waiting on it: a read (GET, HEAD) that needs the storage while the <see cref="StorageWatch"/>
/// says it has gone silent. Waiting would hold it for the client's timeout (3 s), or until the edge gives it up (its
/// origin response timeout) and asks the next address; a 503 sends it at once to the failover origin, whose replica
/// can answer, or has the edge serve its stale copy. Writes still wait: they cannot be sent elsewhere, and a short
/// stall they outlast loses nothing. A read that was already waiting on the storage when it stalled is turned away
/// the same way the moment the watch finds the silence (its awaits give up on <see cref="StorageWatch.SilenceToken"/>).
/// </para>
/// </summary>
public static class StorageUnavailable
{
    public static IApplicationBuilder UseStorageUnavailable(this IApplicationBuilder app)
    {
        var storage = app.ApplicationServices.GetService<StorageWatch>();
        return app.Use(async (context, next) =>
        {
            if (storage is not null && IsRead(context.Request.Method)
                && context.GetEndpoint()?.Metadata.GetMetadata<StorageIndependent>() is null)
            {
                if (storage.IsSilent)
                {
                    await AnswerAsync(context, "1", "the datacenter's storage is not answering; try another datacenter or again shortly");
                    return;
                }
                await AnswerFailuresAsync(context, next, storage.SilenceToken);
                return;
            }
            await AnswerFailuresAsync(context, next, CancellationToken.None);
        });
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <param name="silence">
    /// For a read, the watch's <see cref="StorageWatch.SilenceToken"/>. While the request runs its <c>RequestAborted</c>
    /// is a token that the silence also cancels, as long as the answer has not started: a read the stall caught on its
    /// way (the storage's awaits give up on that token) is turned away as soon as the watch finds the storage silent,
    /// instead of after the client's timeout, and an answer already going out is never cut for it.
    /// </param>
    private static async Task AnswerFailuresAsync(HttpContext context, RequestDelegate next, CancellationToken silence)
    {
        var aborted = context.RequestAborted;
        using var read = silence.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(aborted) : null;
        using var onSilence = read is null ? default : silence.UnsafeRegister(static state =>
        {
            var (response, read) = ((HttpResponse, CancellationTokenSource))state!;
            if (!response.HasStarted)
            {
                read.Cancel();
            }
        }, (context.Response, read));
        if (read is not null)
        {
            context.RequestAborted = read.Token;
        }
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (read is { IsCancellationRequested: true } && !aborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            Logger(context).LogWarning("{Method} {Path}: the datacenter's storage stopped answering while this read waited on it", context.Request.Method, context.Request.Path);
            await AnswerAsync(context, "1", "the datacenter's storage stopped answering; try another datacenter or again shortly");
        }
        catch (Exception e) when (IsStorageFailure(e) && !context.Response.HasStarted)
        {
            Logger(context).LogWarning("{Method} {Path}: the datacenter's storage did not answer: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            await AnswerAsync(context, "5", "the datacenter's storage is unreachable; try again shortly");
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            Logger(context).LogWarning("{Method} {Path}: the render this request shared was cancelled by the request that began it", context.Request.Method, context.Request.Path);
            await AnswerAsync(context, "1", "the page's render was cancelled; try again");
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(StorageUnavailable));

    private static async Task AnswerAsync(HttpContext context, string retryAfter, string error)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.RetryAfter = retryAfter;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"error\":\"{error}\",\"field\":null}}"));
    }

    // Data Protection wraps the key ring's Redis failure in a CryptographicException, so the whole chain is looked at.
    private static bool IsStorageFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RedisException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
