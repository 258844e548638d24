namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>What the gateway does after an attempt at a node failed.</summary>
public enum RetryDecision
{
    /// <summary>Send the request again, to a node it has not tried.</summary>
    Retry,

    /// <summary>The method and the failure do not allow it: the node may have acted on the request.</summary>
    NotRetryable,

    /// <summary>Part of the response already went to the visitor.</summary>
    ResponseStarted,

    /// <summary>The request has had all the retries it may have.</summary>
    RetriesExhausted,

    /// <summary>Every node available to the request has failed it.</summary>
    NoNodeLeft,
}
