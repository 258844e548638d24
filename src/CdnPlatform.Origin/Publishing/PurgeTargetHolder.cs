namespace CdnPlatform.Origin.Publishing;

/// <summary>A purge target set later by whoever starts the control plane; none until then (publishes queue).</summary>
public sealed class PurgeTargetHolder : IPurgeTargetSource
{
    private volatile PurgeTarget? _current;

    public PurgeTarget? Current => _current;

    public void Set(PurgeTarget target) => _current = target;
}
