namespace CdnPlatform.OriginGateway.Proxy;

/// <summary>What one active health probe of a node got.</summary>
public enum ProbeOutcome
{
    /// <summary>A 2xx: the node is ready.</summary>
    Ok,

    /// <summary>
    /// A 503: the node itself says it cannot serve (its storage is silent, its content not loaded yet). Taken at its
    /// word at once: unlike a probe that got no answer, it cannot be a probe lost on the way.
    /// </summary>
    NotReady,

    /// <summary>No answer in time, a refused or reset connection, or any other status.</summary>
    Failed,
}
