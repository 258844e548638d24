namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>What a service runs: a Redis, or one of the project's hosts (by the project its image publishes).</summary>
public enum HostKind
{
    Redis,
    Edge,
    OriginGateway,
    Origin,
    Control,
}
