namespace CdnPlatform.Origin.Content;

/// <summary>A customer account. Only the password's hash is stored (<see cref="PasswordHash"/>).</summary>
public sealed record Account(string Email, string Name, string PasswordHash);
