namespace CdnPlatform.OriginGateway.Writes;

/// <summary>
/// A write this gateway sent to its own datacenter's nodes (<see cref="WriteMode.Open"/>), set on the request while it
/// is there, so that <see cref="WriteAcknowledgement"/> can withhold the node's answer if it comes back after the
/// datacenter stopped being the active one.
/// </summary>
public sealed class NodeWrite
{
    /// <summary>Whether the node's answer was dropped unsent; <see cref="WriteHoldMiddleware"/> answers in its place.</summary>
    public bool Withheld { get; set; }
}
