namespace CdnPlatform.Control.Api;

/// <summary>One region of <c>Control:Dns:Regions</c>: its client networks and its POPs, nearest first.</summary>
public sealed record DnsRegionView(string Name, IReadOnlyList<string> Prefixes, IReadOnlyList<string> Pops);
