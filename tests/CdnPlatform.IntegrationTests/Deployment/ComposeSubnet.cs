using System.Net;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>One <c>ipam.config</c> entry of a network: fixed addresses lie in <see cref="Subnet"/>, Docker's own in <see cref="IpRange"/>.</summary>
public sealed record ComposeSubnet(IPNetwork Subnet, IPNetwork? IpRange, IPAddress? Gateway);
