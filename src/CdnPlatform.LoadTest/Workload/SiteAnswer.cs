namespace CdnPlatform.LoadTest.Workload;

/// <summary>What came back for one request: status, the CDN's headers as facts, the body's length, its text when asked for.</summary>
public readonly record struct SiteAnswer(int Status, bool? Hit, string? ServedBy, long Bytes, string? Text, IReadOnlyList<string>? SetCookies);
