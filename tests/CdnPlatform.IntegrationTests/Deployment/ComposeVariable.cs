namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>A variable docker-compose.yml takes from the environment.</summary>
/// <param name="Required">Named as <c>${NAME:?…}</c>: Compose refuses to start without it.</param>
/// <param name="Default">The value of <c>${NAME:-default}</c> when unset; null when there is none.</param>
/// <param name="Unset">Used without a default or a requirement and not set: Compose substitutes an empty string (and warns).</param>
public sealed record ComposeVariable(string Name, bool Required, string? Default, bool Unset);
