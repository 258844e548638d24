namespace CdnPlatform.LoadTest.Workload;

/// <summary>What came back for one request: status, the CDN's headers as facts, the body's length, its text when asked for.</summary>
/// <param name="ServiceTime">From the request's actual send to its answer's end: what a closed-model tool such as wrk reports, without the wait for a connection or the generator's own lag.</param>
/// <param name="Ended">When the answer's last byte was read, a timestamp of the load's <see cref="TimeProvider"/>; 0 when not known.</param>
public readonly record struct SiteAnswer(int Status, bool? Hit, string? ServedBy, long Bytes, string? Text, IReadOnlyList<string>? SetCookies, TimeSpan ServiceTime = default, long Ended = 0);
