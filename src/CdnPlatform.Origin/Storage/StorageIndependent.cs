namespace CdnPlatform.Origin.Storage;

/// <summary>
/// Endpoint metadata: the endpoint answers without the datacenter's storage (the node's own diagnostics, the assets
/// it holds in memory), so a silent Redis does not turn its reads away (<see cref="StorageUnavailable"/>).
/// </summary>
public sealed class StorageIndependent
{
    public static readonly StorageIndependent Instance = new();

    private StorageIndependent()
    {
    }
}
