namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>How one attempt to forward a request to a node failed, as far as retrying and node health care.</summary>
public enum AttemptFailure
{
    /// <summary>The node answered; its status may still be an error.</summary>
    None,

    /// <summary>No connection to the node: refused, unreachable, timed out connecting. Nothing of the request reached it.</summary>
    NotConnected,

    /// <summary>The request went out, but the node sent no response headers: reset, closed, or silent too long.</summary>
    NoResponse,

    /// <summary>The node's response broke off in its body.</summary>
    ResponseBroken,

    /// <summary>The visitor went away or sent a broken body: not the node's fault.</summary>
    VisitorGone,

    /// <summary>Anything else (no node available, an upgrade failing, the gateway's own error).</summary>
    Other,
}
