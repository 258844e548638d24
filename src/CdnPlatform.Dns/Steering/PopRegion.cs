using System.Net;

namespace CdnPlatform.Dns.Steering;

/// <summary>Client networks that one set of POPs serves best: the nearest first, by their <see cref="Pop.Name"/>.</summary>
public sealed record PopRegion(string Name, IReadOnlyList<IPNetwork> Prefixes, IReadOnlyList<string> Pops);
