namespace CdnPlatform.Cli.Drill;

/// <summary>
/// One drill request: its kind, when it was sent and when it ended (on the drill's clock, from its start), and why
/// it failed (null when it succeeded).
/// </summary>
public readonly record struct DrillOutcome(DrillKind Kind, TimeSpan Started, TimeSpan Finished, string? Error)
{
    public bool Failed => Error is not null;
}
