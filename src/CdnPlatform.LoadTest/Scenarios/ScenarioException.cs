namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>A scenario that cannot run: unknown, malformed, or out of range. The message is one line naming the field.</summary>
public sealed class ScenarioException(string message) : Exception(message);
