namespace CdnPlatform.LoadTest.Workload;

/// <summary>One point of presence the load goes through: its name in reports, and the edge's address (scheme, host, port).</summary>
public sealed record PopTarget(string Name, Uri Address);
