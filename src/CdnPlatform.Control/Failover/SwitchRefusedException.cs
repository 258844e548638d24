namespace CdnPlatform.Control.Failover;

/// <summary>A switchover or failover that did not happen, or stopped before changing anything visitors see; the message says why.</summary>
public sealed class SwitchRefusedException(int statusCode, string message) : Exception(message)
{
    /// <summary>409 for a state that forbids it (unhealthy target, another switch running), 502 for a gateway or Redis that failed a step.</summary>
    public int StatusCode { get; } = statusCode;
}
