namespace CdnPlatform.Cli.Deploy;

/// <summary>Where a rolling deploy is with a node.</summary>
public enum DeployStage
{
    /// <summary>Asked the control plane to drain it.</summary>
    Draining,

    /// <summary>Every gateway has it drained and nothing in flight to it.</summary>
    Idle,

    Restarting,

    /// <summary>Restarted; waiting until every gateway has probed it healthy.</summary>
    Restarted,

    /// <summary>About to ask the control plane to undrain it: from now on the gateways may send it requests.</summary>
    Undraining,

    /// <summary>Every gateway sends it requests again.</summary>
    InService,

    /// <summary>The deploy stopped at this node; the message says why and in what state the node was left.</summary>
    Failed,
}
