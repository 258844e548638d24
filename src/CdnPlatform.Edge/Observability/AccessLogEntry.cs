using System.Net;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// One request as its access log line tells it, made of what the request already had (its strings, the connection's
/// address object, numbers): passed by reference to <see cref="AccessLogLineFormatter"/>, never stored.
/// </summary>
internal readonly record struct AccessLogEntry(
    DateTimeOffset Time,
    string Site,
    string Method,
    string Path,
    int Status,
    long? Bytes,
    CacheOutcome Cache,
    TimeSpan? OriginTime,
    TimeSpan TotalTime,
    IPAddress? Client);
