namespace CdnPlatform.Cluster.Health;

/// <summary>
/// One origin address as an edge sees it: <see cref="State"/> (<see cref="HealthStateText"/>) from its own probes of
/// <c>/healthz</c> and its visitors' fetches, through the same hysteresis as the control plane's.
/// </summary>
/// <param name="Since">When <see cref="State"/> last changed.</param>
/// <param name="LastPassiveFailure">The last visitor fetch that could not reach it or got no response.</param>
public sealed record OriginAddressReport(string Url, string State, DateTimeOffset? Since, string? LastError, int ConsecutiveFailures,
    DateTimeOffset? LastPassiveFailure);
