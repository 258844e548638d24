namespace CdnPlatform.Origin.Publishing;

/// <summary>
/// Where publishes purge, asked at each purge rather than fixed at start-up: a launcher that starts the
/// control plane after the origins (<c>cdnctl up</c> on free ports) tells the nodes its address once it knows it.
/// The default is <c>Origin:Purge</c>.
/// </summary>
public interface IPurgeTargetSource
{
    PurgeTarget? Current { get; }
}
