using System.Net;

namespace CdnPlatform.Dns.Steering;

/// <summary>A point of presence (an edge) as <c>www.</c> publishes it: its name, its address, and whether it is up now.</summary>
public sealed record Pop(string Name, IPAddress Address, bool Healthy);
