namespace CdnPlatform.IntegrationTests.Load;

/// <summary>
/// The load tool's runs, alone: they load a whole network on the machine's two cores, and beside the other
/// network tests' timings (a node killed and its reads retried within a health check's period) that load turned
/// their margins into flakes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "cdnload runs";
}
