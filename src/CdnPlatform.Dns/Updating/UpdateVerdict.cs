namespace CdnPlatform.Dns.Updating;

/// <summary>What came of sending an update, for the caller to switch on.</summary>
public enum UpdateVerdict
{
    /// <summary>NOERROR, in an answer signed with the same key: the server holds the records now.</summary>
    Acknowledged,

    /// <summary>The server answered with an error: NOTAUTH with a TSIG error (BADSIG, BADKEY, BADTIME), REFUSED, NOTZONE, SERVFAIL…</summary>
    Rejected,

    /// <summary>An answer came, but its TSIG did not verify: it may not be from the server, so it proves nothing.</summary>
    Unverified,

    /// <summary>No answer: nothing listens, or the server did not answer in time.</summary>
    NoAnswer,
}
