using System.Net;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// One request as its access log line tells it, kept as the request left it (strings it already had, an address
/// object, numbers): formatting waits for the writer, off the request path.
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
