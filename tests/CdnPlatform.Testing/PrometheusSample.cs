namespace CdnPlatform.Testing;

/// <summary>One sample of a parsed scrape (<see cref="PrometheusText"/>).</summary>
public sealed record PrometheusSample(string Family, string Type, string Name, IReadOnlyDictionary<string, string> Labels, double Value);
