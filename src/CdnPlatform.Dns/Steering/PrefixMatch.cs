namespace CdnPlatform.Dns.Steering;

/// <summary>What <see cref="PrefixTable{TValue}.Match"/> found for an address.</summary>
/// <param name="Found">Whether a network of the table holds the address.</param>
/// <param name="Value">The value of the longest such network; default when none does.</param>
/// <param name="ScopePrefixLength">
/// How many leading bits of the address decided the outcome: every address sharing them gets the same one.
/// 0 when the table has no network of the address's family.
/// </param>
public readonly record struct PrefixMatch<TValue>(bool Found, TValue? Value, byte ScopePrefixLength);
