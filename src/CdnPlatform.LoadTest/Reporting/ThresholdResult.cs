namespace CdnPlatform.LoadTest.Reporting;

/// <summary>One threshold of the scenario, e.g. <c>p99 &lt; 50ms</c>, and the run's figure for it.</summary>
/// <param name="Expression">As written in the scenario.</param>
/// <param name="Actual">The run's figure in the threshold's unit (milliseconds for latencies, a count, a ratio); null when the run has none (no cache answers for a hit ratio).</param>
public sealed record ThresholdResult(string Expression, double? Actual, bool Passed);
