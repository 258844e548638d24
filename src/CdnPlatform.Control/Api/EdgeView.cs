namespace CdnPlatform.Control.Api;

/// <summary>One edge's view of a datacenter in <c>GET /v1/dc</c>: <c>up</c>, <c>down</c> or <c>unknown</c> (cannot report), and why.</summary>
public sealed record EdgeView(string Edge, string View, string Detail);
