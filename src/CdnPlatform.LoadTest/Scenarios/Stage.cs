namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// One stage: over <see cref="Duration"/> the load moves in a straight line from where the previous stage ended (or the
/// scenario's start) to <see cref="Target"/> — requests/s in an open model, virtual users in a closed one. A hold is a
/// stage whose target is where the last one ended.
/// </summary>
public sealed record Stage(TimeSpan Duration, double Target);
