using CdnPlatform.Control.Traffic;

namespace CdnPlatform.Control.Api;

/// <summary>One POP in <c>GET /v1/pops</c>: its last poll, its counters since it started, and its traffic over the last window.</summary>
/// <param name="LastPoll">What the last poll of its <c>/healthz</c> got: <c>200</c>, <c>503</c>, a connection error, a timeout.</param>
/// <param name="RequestsSinceStart">The edge's own counter, as last read; null when it reports none.</param>
/// <param name="Traffic">Rate and hit ratio between the last two readings; null when there is none, and <paramref name="NoTraffic"/> says why.</param>
public sealed record PopView(
    string Name,
    string Url,
    string LastPoll,
    DateTimeOffset? PolledAt,
    long? RequestsSinceStart,
    long? HitsSinceStart,
    PopTraffic? Traffic,
    string? NoTraffic);
