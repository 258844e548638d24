namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>A service's <c>build:</c> section; <see cref="Dockerfile"/> relative to the repository root.</summary>
public sealed record ComposeBuild(string Context, string Dockerfile, IReadOnlyDictionary<string, string> Args);
