namespace CdnPlatform.LoadTest.Running;

/// <summary>A target that cannot serve the load at all, found before it starts. The message is one line naming it.</summary>
public sealed class TargetUnreachableException(string message) : Exception(message);
