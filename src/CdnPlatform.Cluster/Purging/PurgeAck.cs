namespace CdnPlatform.Cluster.Purging;

/// <summary>An edge's word that it has applied a purge: from <see cref="AppliedAt"/> on it serves none of it.</summary>
public sealed record PurgeAck(string PurgeId, string Edge, DateTimeOffset AppliedAt);
