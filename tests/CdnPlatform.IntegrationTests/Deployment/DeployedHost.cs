using System.Net;
using Microsoft.Extensions.Configuration;

namespace CdnPlatform.IntegrationTests.Deployment;

/// <summary>One service of the compose file, with the configuration its process would read at start-up.</summary>
public sealed record DeployedHost(ComposeService Service, HostKind Kind, IConfigurationRoot Configuration)
    : HostSettings(Service.Name, Kind, Configuration, ProcessVariablesOf(Service.Environment.Keys))
{
    /// <summary>The service's fixed address on the network given, or null.</summary>
    public IPAddress? Address(string network = "default") =>
        Service.Networks.GetValueOrDefault(network) is { } address ? IPAddress.Parse(address) : null;
}
