namespace CdnPlatform.Edge.Resolving;

/// <summary>One resolved origin name in the edge's <c>/healthz</c>: what it is sent to, and how sure the edge is of it.</summary>
/// <param name="State">unresolved, fresh or stale.</param>
/// <param name="TtlSeconds">What is left of the answer's TTL; 0 once it ran out.</param>
public sealed record OriginNameStatus(string Name, string State, IReadOnlyList<string> Addresses, int TtlSeconds,
    string? AnsweredBy, int Failures, string? LastFailure);
