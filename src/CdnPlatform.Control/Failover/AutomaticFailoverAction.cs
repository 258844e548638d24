namespace CdnPlatform.Control.Failover;

/// <summary>What the automatic failover policy does after a round of probes.</summary>
public enum AutomaticFailoverAction
{
    /// <summary>Nothing: the active datacenter is not down, no other one is up, or the policy already acted.</summary>
    Wait,

    /// <summary>The policy acted on a datacenter that has since come back, or a person switched: it may act again.</summary>
    Rearm,

    /// <summary>Fail over to <see cref="AutomaticFailoverDecision.To"/>.</summary>
    FailOver,
}
