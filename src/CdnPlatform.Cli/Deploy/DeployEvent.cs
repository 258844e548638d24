namespace CdnPlatform.Cli.Deploy;

/// <summary>One step of a rolling deploy, as <c>cdnctl deploy</c> prints it.</summary>
public sealed record DeployEvent(string Node, DeployStage Stage, string Message);
