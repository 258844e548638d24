namespace CdnPlatform.Edge.Forwarding;

/// <summary>How a trip to the origin ended, for the pipeline to act on (compare <see cref="Caching.Reuse.ReuseDecision"/>).</summary>
internal enum FetchResult
{
    /// <summary>The origin's response went to the visitor; <see cref="FetchOutcome.Entry"/> holds it when it may be stored.</summary>
    Forwarded,

    /// <summary>The origin confirmed the stored entry with a 304: <see cref="FetchOutcome.Entry"/> is its freshened copy, still to be delivered.</summary>
    Validated,

    /// <summary>The origin failed or could not be reached and the stored entry answers instead, still to be delivered.</summary>
    Stale,

    /// <summary>The origin failed and the visitor got the gateway's error (or a cut-off body); nothing to store.</summary>
    Failed,
}
