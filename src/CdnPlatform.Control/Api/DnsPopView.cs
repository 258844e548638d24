namespace CdnPlatform.Control.Api;

/// <summary>One POP as <c>www.</c> sees it: its address, whether it is answered with, and its last probe (<c>200</c>, <c>503</c>, an error).</summary>
public sealed record DnsPopView(string Name, string Address, bool Healthy, string LastProbe);
