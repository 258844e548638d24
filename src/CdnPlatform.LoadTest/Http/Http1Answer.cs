namespace CdnPlatform.LoadTest.Http;

/// <summary>What <see cref="Http1Connection"/> keeps of an answer.</summary>
/// <param name="CacheStatus">The Cache-Status field's values joined with commas, as one field; null without one.</param>
/// <param name="ServiceTime">From the request's first byte written (on the connection that answered) to the answer's last byte read.</param>
/// <param name="Ended">When the answer's last byte was read: a timestamp of the connection's <see cref="TimeProvider"/>.</param>
internal readonly record struct Http1Answer(int Status, string? CacheStatus, string? ServedBy, IReadOnlyList<string>? SetCookies, long Bytes, string? Text, TimeSpan ServiceTime, long Ended);
