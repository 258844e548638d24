namespace CdnPlatform.Dns.Updating;

/// <summary>
/// The <paramref name="Verdict"/> on one update, and <paramref name="Detail"/> for people: the RCODE as RFCs and
/// <c>dig</c> write it, e.g. <c>NOERROR</c>, <c>NOTAUTH (TSIG BADSIG)</c>, <c>REFUSED</c>, or why there was none.
/// </summary>
public sealed record UpdateOutcome(UpdateVerdict Verdict, string Detail)
{
    public bool IsAcknowledged => Verdict == UpdateVerdict.Acknowledged;
}
