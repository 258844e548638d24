namespace CdnPlatform.Control.SiteDns;

/// <summary>One POP as <see cref="PopHealthMonitor"/> last saw it.</summary>
/// <param name="Name">Its <c>Control:Edges:N:Name</c>.</param>
/// <param name="LastProbe">What its last probe of <c>/healthz</c> got: <c>200</c>, <c>503</c>, a connection error, a timeout.</param>
public sealed record PopStatus(string Name, PopHealth Health, string LastProbe);
