namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>A service's <c>healthcheck:</c>; <see cref="Test"/> in its list form (a string is <c>CMD-SHELL</c>).</summary>
public sealed record ComposeHealthcheck(IReadOnlyList<string> Test, string? Interval, string? Timeout, string? Retries, string? StartPeriod, bool Disabled);
