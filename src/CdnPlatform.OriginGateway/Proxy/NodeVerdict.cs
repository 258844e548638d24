namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>What one proxied request says about the health of the node that had it.</summary>
public enum NodeVerdict
{
    /// <summary>The node answered without a server error.</summary>
    Served,

    /// <summary>The node could not be reached, broke off, or answered 5xx.</summary>
    Failed,

    /// <summary>The request tells nothing about the node (the visitor went away).</summary>
    Unknown,
}
