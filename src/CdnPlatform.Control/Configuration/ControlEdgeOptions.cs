namespace CdnPlatform.Control.Configuration;

/// <summary>An edge the control plane expects acknowledgements from, and where its health endpoint is.</summary>
public sealed record ControlEdgeOptions
{
    public string Name { get; init; } = "";

    /// <summary>Base URL of the edge, e.g. <c>http://127.0.10.1:8080</c>; status probes <c>/healthz</c> there.</summary>
    public string Url { get; init; } = "";
}
