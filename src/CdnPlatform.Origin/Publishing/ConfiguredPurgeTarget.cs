namespace CdnPlatform.Origin.Publishing;

/// <summary>The purge target from <c>Origin:Purge</c>, or none.</summary>
public sealed class ConfiguredPurgeTarget(OriginOptions options) : IPurgeTargetSource
{
    public PurgeTarget? Current => options.Purge;
}
