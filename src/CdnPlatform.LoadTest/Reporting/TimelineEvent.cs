namespace CdnPlatform.LoadTest.Reporting;

/// <summary>Something that happened during the load, marked on the report's timeline.</summary>
/// <param name="At">Seconds from the start of the load.</param>
/// <param name="Kind">What it was, e.g. <c>purge</c>, <c>purge-fresh</c>, <c>dc-kill</c>, <c>dc-pause</c>, <c>failover</c>, <c>dc-start</c>, <c>dc-resume</c>, <c>failback</c>, <c>dc-down</c>, <c>caught-up</c>, <c>stage</c>.</param>
/// <param name="Label">A line for people: <c>purge 3 of /products/7</c>, <c>dr active (automatic)</c>.</param>
/// <param name="Seconds">How long it took when it has a length (a purge's publish → fresh at every edge); null otherwise.</param>
public sealed record TimelineEvent(double At, string Kind, string Label, double? Seconds = null);
