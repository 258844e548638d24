namespace CdnPlatform.Cli.Drill;

/// <summary>One purge the control plane accepted; <see cref="Done"/> is true once every edge applied it, false once given up on.</summary>
public sealed class TrackedPurge(string id, TimeSpan acceptedAt)
{
    public string Id { get; } = id;

    public TimeSpan AcceptedAt { get; } = acceptedAt;

    public bool? Done { get; set; }
}
