namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>Whether a request whose attempt at a node failed is sent again to another node.</summary>
public static class RetryPolicy
{
    /// <param name="retriesSoFar">How many times this request has already been sent again.</param>
    /// <param name="untriedNodes">Nodes available to the request that it has not tried yet.</param>
    public static RetryDecision Decide(string method, AttemptFailure failure, int retriesSoFar, int maxRetries, bool responseStarted, int untriedNodes)
    {
        var retryable = failure switch
        {
            // Nothing reached the node, so even a POST cannot have been acted on (and its body is still unread).
            AttemptFailure.NotConnected => true,
            // The node may have acted on the request: only a method that may be repeated goes again.
            AttemptFailure.NoResponse or AttemptFailure.ResponseBroken => IsIdempotentRead(method),
            _ => false,
        };
        if (!retryable)
        {
            return RetryDecision.NotRetryable;
        }
        if (responseStarted)
        {
            return RetryDecision.ResponseStarted;
        }
        if (retriesSoFar >= maxRetries)
        {
            return RetryDecision.RetriesExhausted;
        }
        return untriedNodes > 0 ? RetryDecision.Retry : RetryDecision.NoNodeLeft;
    }

    // Safe methods only. PUT and DELETE are idempotent as well (RFC 9110 §9.2.2), but repeating them relies on
    // every endpoint honouring that; they go again only when nothing reached the node.
    private static bool IsIdempotentRead(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
