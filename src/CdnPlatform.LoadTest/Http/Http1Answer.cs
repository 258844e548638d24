namespace CdnPlatform.LoadTest.Http;

/// <summary>What <see cref="Http1Connection"/> keeps of an answer.</summary>
/// <param name="CacheStatus">The Cache-Status field's values joined with commas, as one field; null without one.</param>
internal readonly record struct Http1Answer(int Status, string? CacheStatus, string? ServedBy, IReadOnlyList<string>? SetCookies, long Bytes, string? Text);
