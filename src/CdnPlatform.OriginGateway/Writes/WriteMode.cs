namespace CdnPlatform.OriginGateway.Writes;

/// <summary>What the gateway does with writes (requests other than GET, HEAD, OPTIONS, TRACE); reads always go to the nodes.</summary>
public enum WriteMode
{
    /// <summary>To this datacenter's nodes, as usual.</summary>
    Open,

    /// <summary>Held at the gateway (bounded by <c>Gateway:WriteHoldSeconds</c>) while a switchover moves the primary.</summary>
    Hold,

    /// <summary>
    /// To another datacenter's gateways: this datacenter's store is a replica now, so its nodes would refuse the
    /// write; the visitor whose edge has not re-resolved yet still gets it done.
    /// </summary>
    Forward,
}
