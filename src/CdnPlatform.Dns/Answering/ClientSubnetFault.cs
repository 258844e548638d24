namespace CdnPlatform.Dns.Answering;

/// <summary>What is wrong with an EDNS Client Subnet option in a query; each gets FORMERR (RFC 7871 §6, §7.2.1).</summary>
public enum ClientSubnetFault
{
    None,

    /// <summary>Shorter than FAMILY, SOURCE PREFIX-LENGTH and SCOPE PREFIX-LENGTH.</summary>
    Truncated,

    /// <summary>FAMILY is neither 1 (IPv4) nor 2 (IPv6), nor 0 with no address at all.</summary>
    UnknownFamily,

    /// <summary>SOURCE PREFIX-LENGTH is longer than the family's addresses (32, 128).</summary>
    PrefixTooLong,

    /// <summary>ADDRESS has more or fewer octets than SOURCE PREFIX-LENGTH needs.</summary>
    AddressLength,

    /// <summary>ADDRESS has bits set past SOURCE PREFIX-LENGTH.</summary>
    BitsBeyondPrefix,

    /// <summary>SCOPE PREFIX-LENGTH is not 0, as a query's must be.</summary>
    ScopeInQuery,

    /// <summary>More than one client subnet option: which subnet the answer is for would be a guess.</summary>
    Repeated,
}
