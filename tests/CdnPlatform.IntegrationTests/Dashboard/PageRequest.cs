namespace CdnPlatform.IntegrationTests.Dashboard;

/// <summary>One request the dashboard page made, and whether the test refused it (not to the control plane).</summary>
public sealed record PageRequest(string Method, string Url, bool Refused);
