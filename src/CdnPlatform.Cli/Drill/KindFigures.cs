namespace CdnPlatform.Cli.Drill;

/// <summary>
/// How many requests of one kind a phase sent, how many failed, the first few failures' reasons, and the slowest one
/// (failed or not): a write that waited at a gateway through a failover succeeds, and shows here.
/// </summary>
public sealed record KindFigures(DrillKind Kind, int Requests, int Errors, IReadOnlyList<string> FirstErrors, TimeSpan Slowest);
