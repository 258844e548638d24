using System.Net;
using ARSoft.Tools.Net.Dns.DynamicUpdate;

namespace CdnPlatform.Dns.Updating;

/// <summary>Sends one signed RFC 2136 update to a server and says what came of it; never throws for the network's sake.</summary>
public interface IDnsUpdateSender
{
    Task<UpdateOutcome> SendAsync(IPEndPoint server, DnsUpdateMessage update, CancellationToken cancellationToken);
}
