using CdnPlatform.Caching.Coalescing;
using CdnPlatform.Caching.Keys;
using CdnPlatform.Caching.Reuse;
using CdnPlatform.Caching.Storage;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Delivery;
using CdnPlatform.Edge.Storage;
using CdnPlatform.Http.Headers;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Forwarding;

/// <summary>
/// One trip to the origin for one request, kept as an HttpContext feature so the transformer (which sees the
/// origin's status and fields before any body byte goes out) can settle what the fetch is: a response to pass
/// on (and maybe store), a 304 confirming the stored entry, or the stored entry standing in for a failed origin.
/// It decides and captures; it never touches the store: <see cref="Complete"/> hands the pipeline the outcome.
/// </summary>
internal sealed class OriginFetch
{
    private FetchResult _result = FetchResult.Failed;
    private CacheEntry? _entry;
    private CacheStatus _status;
    private int? _originStatus;
    private StoragePlan _plan = StoragePlan.Refuse("no response");
    private GrowingBody? _streaming;

    public required Site Site { get; init; }
    public required CacheKey Key { get; init; }
    public required ForwardReason Reason { get; init; }
    public required FetchMode Mode { get; init; }

    /// <summary>The visitor's Cache-Control, parsed once when the request came in.</summary>
    public required CacheControl RequestCacheControl { get; init; }

    public required DateTimeOffset RequestTime { get; init; }

    /// <summary>The store's generation when this fetch began: a purge after it supersedes what the fetch brings.</summary>
    public long StartedAtGeneration { get; init; }

    /// <summary>The stored entry this fetch revalidates, and the stand-in if the origin fails.</summary>
    public CacheEntry? Stored { get; init; }

    public bool Collapsed { get; init; }

    /// <summary>The flight this fill leads, whose followers may stream a large storable answer as it arrives.</summary>
    public Flight? Flight { get; init; }

    /// <summary>From this Content-Length on, <see cref="Flight"/>'s followers stream the answer (Edge:StreamingThresholdBytes).</summary>
    public long StreamingThreshold { get; init; } = long.MaxValue;

    /// <summary>
    /// How much of a response the server buffers for the visitor before a write waits on the visitor's link (Kestrel's
    /// MaxResponseBufferSize). A storable body longer than that is read from the origin apart from the visitor, who
    /// reads it as it arrives, so a slow visitor never holds the fill, the origin's connection or the followers.
    /// </summary>
    public long VisitorBufferBytes { get; init; } = long.MaxValue;

    /// <summary>The copy of the body on its way to the visitor; set by <see cref="OriginFetcher"/> for fills.</summary>
    public BodyCaptureStream? Capture { get; set; }

    /// <summary>The origin address the current attempt goes to (one of <see cref="Site"/>'s origins).</summary>
    public string Origin { get; private set; } = "";

    /// <summary>
    /// Set when the forwarder gave up on the current attempt before the origin answered (refused, reset, timed
    /// out). Whether that is final, and what the visitor then gets, is settled after the forwarder returns:
    /// <see cref="OriginFetcher"/> may try the site's next address first.
    /// </summary>
    public bool Unanswered { get; private set; }

    private ResponseDeadline? _deadline;

    /// <summary>Whether the current attempt goes to the site's failover origin (said in Cache-Status when it answers).</summary>
    public bool AtFailoverOrigin { get; private set; }

    /// <summary>
    /// Set when the current attempt's answer had a failover status and was dropped unsent (<see cref="FailsOver"/>):
    /// <see cref="OriginFetcher"/> goes on to the failover origin.
    /// </summary>
    public bool AnsweredWithFailoverStatus { get; private set; }

    private bool _mayFailOverOnStatus;

    // A fill that outlives its visitor (OutliveVisitor): the visitor's own abort, and the fetch's, set off by it when
    // what the origin sends will not be stored. Headers decided: whether the plan is known yet.
    private CancellationToken _visitorGone;
    private CancellationTokenSource? _abandon;
    private CancellationTokenRegistration _visitorWatch;
    private volatile bool _headersDecided;

    /// <summary>
    /// Lets the fetch go on when its visitor leaves: a fill is for every visitor who will ask for the URL, as nginx's
    /// and Varnish's fetches go on for an answer they store. Only what cannot be stored stops with the visitor, once
    /// its head shows that (the returned token is cancelled). Bounded like any fetch by the origin's activity timeout.
    /// </summary>
    /// <returns>What the forwarder is to stop on instead of the visitor's abort.</returns>
    public CancellationToken OutliveVisitor(CancellationToken visitorGone)
    {
        _visitorGone = visitorGone;
        _abandon = new CancellationTokenSource();
        _visitorWatch = visitorGone.UnsafeRegister(static state => ((OriginFetch)state!).OnVisitorGone(), this);
        return _abandon.Token;
    }

    /// <summary>Ends what <see cref="OutliveVisitor"/> set up, once the forwarder is done.</summary>
    public void EndOutliving()
    {
        _visitorWatch.Dispose();
        _abandon?.Dispose();
    }

    private void OnVisitorGone()
    {
        if (_headersDecided && !_plan.Decision.CanStore)
        {
            _abandon?.Cancel();
        }
    }

    /// <param name="mayFailOverOnStatus">Whether an answer with a failover status would be retried at the failover origin (<see cref="OriginSelection.Next"/>).</param>
    /// <param name="deadline">How long the attempt may wait for response headers (<see cref="ResponseDeadline"/>); null: no limit of its own.</param>
    public void BeginAttempt(string origin, bool atFailoverOrigin = false, bool mayFailOverOnStatus = false, ResponseDeadline? deadline = null)
    {
        Origin = origin;
        Unanswered = false;
        AtFailoverOrigin = atFailoverOrigin;
        AnsweredWithFailoverStatus = false;
        _mayFailOverOnStatus = mayFailOverOnStatus;
        _deadline = deadline;
    }

    public void OnNoAnswer() => Unanswered = true;

    /// <summary>Whether the attempt's response deadline passed before its headers came: it is unanswered, and may be asked elsewhere.</summary>
    public bool ResponseDeadlinePassed => _deadline?.HasPassed == true;

    /// <summary>
    /// Called when the attempt's response headers come, before anything of them is used: false when its deadline had
    /// passed, and the answer is then dropped like one that never came.
    /// </summary>
    public bool AnsweredInTime() => _deadline?.Answer() ?? true;

    /// <summary>
    /// Called with the origin's answer before anything of it is used: true when the answer is to be dropped (its body
    /// disposed, never sent) because the failover origin gets to answer instead.
    /// </summary>
    public bool FailsOver(HttpResponseMessage originResponse)
    {
        AnsweredWithFailoverStatus = _mayFailOverOnStatus
            && OriginSelection.ClassifyAnswer((int)originResponse.StatusCode, Site.FailoverStatuses) == OriginFailure.FailoverStatus;
        return AnsweredWithFailoverStatus;
    }

    /// <summary>Whether validators of <see cref="Stored"/> go to the origin instead of the visitor's own conditionals.</summary>
    private bool Revalidates => Mode == FetchMode.Fill && Stored is { HasValidator: true };

    public void OnRequest(HttpRequestMessage originRequest)
    {
        if (Mode == FetchMode.Pass)
        {
            return; // the visitor's conditionals and ranges are theirs to send
        }
        // A fetch that may fill the cache asks for the whole response, not the visitor's 304.
        originRequest.Headers.Remove(HeaderNames.IfNoneMatch);
        originRequest.Headers.Remove(HeaderNames.IfModifiedSince);
        if (Revalidates)
        {
            if (Stored!.ETag is { } etag)
            {
                originRequest.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, etag);
            }
            if (Stored.LastModified is { } lastModified)
            {
                originRequest.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, lastModified);
            }
        }
    }

    /// <summary>
    /// Called once the origin's status and fields are copied to the visitor's response and before any body
    /// byte is sent, or with no response once every origin address failed to answer. Returns false when the
    /// origin's body must not be copied (a stored entry answers instead).
    /// </summary>
    public bool OnResponseHeaders(HttpContext context, HttpResponseMessage? originResponse, DateTimeOffset now, long maxObjectBytes)
    {
        var response = context.Response;
        var status = CacheStatus.ForForward(Reason) with { Collapsed = Collapsed };
        if (originResponse is not null)
        {
            RemoveConnectionListed(response.Headers, originResponse);
            _originStatus = response.StatusCode;
            status = status with { ForwardStatus = response.StatusCode, Detail = AtFailoverOrigin ? "failover origin" : null };
        }
        switch (OriginAnswerPolicy.Classify(_originStatus, Stored, Revalidates, now, Site.StaleIfError, Site.StaleWhenOriginDown))
        {
            case OriginAnswer.Validated:
                _result = FetchResult.Validated;
                _entry = StoragePlanner.Freshen(Stored!, response.Headers, context.Request.Headers, RequestCacheControl, RequestTime, now, Site);
                _status = status;
                return false;
            case OriginAnswer.StaleIfError:
                return Substitute(status with { Detail = "stale-if-error" });
            case OriginAnswer.StaleWhenUnreachable:
                return Substitute(status with { Detail = "origin unreachable, served stale" });
            case OriginAnswer.Unreachable:
                // The forwarder answers 502 or 504 itself.
                CacheStatusField.Append(response.Headers, status with { Detail = "origin unreachable" });
                return true;
        }

        _result = FetchResult.Forwarded;
        _plan = Mode == FetchMode.Fill
            ? StoragePlanner.Plan(Key, context.Request.Method, context.Request.Headers, RequestCacheControl, response.StatusCode, response.Headers, RequestTime, now, Site)
            : StoragePlan.Refuse("pass");
        if (_plan.Decision.CanStore && response.ContentLength > maxObjectBytes)
        {
            _plan = StoragePlan.Refuse("too large");
        }
        if (_plan.Decision.CanStore && Capture is not null)
        {
            var streamed = Flight is not null && response.ContentLength >= StreamingThreshold;
            if (_plan.Entry is not null && response.ContentLength is { } length && (streamed || length > VisitorBufferBytes)
                && length <= Array.MaxLength && HttpMethods.IsGet(context.Request.Method))
            {
                // The origin is read at its pace, not the visitor's: the visitor reads the body as followers do.
                _streaming = new GrowingBody(length);
                Capture.StartCapture(_streaming);
                if (streamed)
                {
                    // Published before the first body byte: a follower reads from the start whenever it wakes.
                    Flight!.Publish(new StreamingFill(_plan.Entry, _streaming));
                }
            }
            else
            {
                // A body without a length (chunked) is read apart from the visitor too, up to the store's limit.
                Capture.StartCapture(response.ContentLength, relay: _plan.Entry is not null && HttpMethods.IsGet(context.Request.Method));
            }
        }
        _headersDecided = true;
        if (!_plan.Decision.CanStore && _visitorGone.IsCancellationRequested)
        {
            // Its visitor left before the head came, and nobody else will have this body: not read at all.
            return false;
        }
        foreach (var edgeOnly in HeaderRules.EdgeOnly)
        {
            response.Headers.Remove(edgeOnly);
        }
        CacheStatusField.Append(response.Headers, status with { Stored = _plan.Decision.CanStore });
        return true;
    }

    /// <summary>The outcome, once the forwarder is done: the captured body joins the entry if all of it passed.</summary>
    public FetchOutcome Complete(ForwarderError error)
    {
        if (_result is FetchResult.Validated or FetchResult.Stale)
        {
            return new FetchOutcome(_result, _entry, _status, _originStatus, error);
        }
        if (error != ForwarderError.None)
        {
            Abandon();
            return new FetchOutcome(FetchResult.Failed, null, default, _originStatus, error);
        }
        // Every announced byte came, or the readers of the stream learn it broke off (and nothing is stored).
        _streaming?.Complete();
        Capture?.EndOfBody(whole: true);
        var entry = _plan.Decision.CanStore && _plan.Entry is not null && Capture?.Captured is { } body
            ? _plan.Entry with { Body = body, FetchStartedAt = StartedAtGeneration }
            : null;
        return new FetchOutcome(FetchResult.Forwarded, entry, default, _originStatus, error);
    }

    /// <summary>The fetch ended without an outcome (an exception, or an error): readers of a streamed or relayed body stop instead of waiting.</summary>
    public void Abandon()
    {
        _streaming?.Fail();
        Capture?.EndOfBody(whole: false);
    }

    /// <summary>
    /// Gives back this fetch's hold on the body it captured, once the fill stored it (the store holds its own) or
    /// gave up on it; a body nobody stored or still reads is freed. Called once, when the fill is done.
    /// </summary>
    public void ReleaseBody()
    {
        Capture?.Release();
        Interlocked.Exchange(ref _streaming, null)?.Release();
    }

    private bool Substitute(CacheStatus status)
    {
        _result = FetchResult.Stale;
        _entry = Stored;
        _status = status;
        return false;
    }

    // RFC 9110 §7.6.1: fields named in Connection belong to that hop only.
    private static void RemoveConnectionListed(IHeaderDictionary headers, HttpResponseMessage originResponse)
    {
        foreach (var name in originResponse.Headers.Connection)
        {
            headers.Remove(name);
        }
    }
}
