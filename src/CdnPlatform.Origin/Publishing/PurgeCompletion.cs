namespace CdnPlatform.Origin.Publishing;

/// <summary>How far an accepted purge got while the publish waited: <c>done</c> means applied on every edge.</summary>
/// <param name="PropagationMs">The control plane's own figure, from acceptance to the last edge's acknowledgement.</param>
public sealed record PurgeCompletion(string State, double? PropagationMs)
{
    public bool Done => State == "done";
}
