namespace CdnPlatform.Control.Api;

/// <summary>The body of <c>PUT /gateway/writes</c>: <c>open</c>, <c>hold</c>, or <c>forward</c> to <see cref="ForwardTo"/>.</summary>
public sealed record GatewayWriteMode(string Mode, IReadOnlyList<string>? ForwardTo = null);
