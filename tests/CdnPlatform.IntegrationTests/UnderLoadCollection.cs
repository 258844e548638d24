namespace CdnPlatform.IntegrationTests;

/// <summary>
/// Runs that load a whole network and must lose no request while a datacenter dies or nodes restart: alone, not
/// beside the other network tests. Since the dashboard's browser tests and the metrics networks joined the suite, a
/// parallel neighbour on the two cores turned their margins (a gateway's drain confirmed, a failover's first request)
/// into rare failures: one 502 in the dc-loss drill, one request still in flight at a drained node, both passing alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UnderLoadCollection
{
    public const string Name = "zero-loss runs under load";
}
