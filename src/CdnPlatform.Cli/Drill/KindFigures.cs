namespace CdnPlatform.Cli.Drill;

/// <summary>How many requests of one kind a phase sent, how many failed, and the first few failures' reasons.</summary>
public sealed record KindFigures(DrillKind Kind, int Requests, int Errors, IReadOnlyList<string> FirstErrors);
