using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using CdnPlatform.Dns.Updating;

namespace CdnPlatform.Dns.Tests;

/// <summary>The verdict on an answer to a signed update, and how it reads: RCODEs and TSIG errors as dig writes them.</summary>
public sealed class UpdateVerdictTests
{
    private static readonly DomainName KeyName = DomainName.Parse("cdn-key");

    private static DnsUpdateMessage Signed(DomainName keyName, ReturnCode rcode = ReturnCode.NoError, ReturnCode tsigError = ReturnCode.NoError)
    {
        var message = new DnsUpdateMessage { ZoneName = DomainName.Parse("shop.test"), TransactionID = 7, ReturnCode = rcode };
        message.TSigOptions = new TSigRecord(keyName, TSigAlgorithm.Sha256, DateTime.UtcNow, TimeSpan.FromSeconds(300), 7, tsigError, null, new byte[32]);
        return message;
    }

    private static UpdateOutcome Judge(DnsUpdateMessage? answer) => DnsUpdateSender.Judge(Signed(KeyName), answer, TimeSpan.FromSeconds(2));

    [Fact]
    public void NoErrorSignedWithTheKey_IsAnAcknowledgement() =>
        Assert.Equal(new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR"), Judge(Signed(KeyName)));

    [Theory]
    [InlineData(ReturnCode.NotAuthoritive, ReturnCode.BadSig, "NOTAUTH (TSIG BADSIG)")]
    [InlineData(ReturnCode.NotAuthoritive, ReturnCode.BadKey, "NOTAUTH (TSIG BADKEY)")]
    [InlineData(ReturnCode.NotAuthoritive, ReturnCode.BadTime, "NOTAUTH (TSIG BADTIME)")]
    [InlineData(ReturnCode.Refused, ReturnCode.NoError, "REFUSED")]
    [InlineData(ReturnCode.NotZone, ReturnCode.NoError, "NOTZONE")]
    [InlineData(ReturnCode.ServerFailure, ReturnCode.NoError, "SERVFAIL")]
    public void AnErrorAnswer_IsARejection_NamedAsDigWould(ReturnCode rcode, ReturnCode tsigError, string detail) =>
        Assert.Equal(new UpdateOutcome(UpdateVerdict.Rejected, detail), Judge(Signed(KeyName, rcode, tsigError)));

    [Fact]
    public void NoErrorUnsigned_ProvesNothing()
    {
        var answer = new DnsUpdateMessage { ZoneName = DomainName.Parse("shop.test"), TransactionID = 7 };

        Assert.Equal(new UpdateOutcome(UpdateVerdict.Unverified, "NOERROR, but the answer is not signed with cdn-key."), Judge(answer));
    }

    [Fact]
    public void NoErrorSignedWithAnotherKey_ProvesNothing() =>
        Assert.Equal(UpdateVerdict.Unverified, Judge(Signed(DomainName.Parse("other-key"))).Verdict);

    [Fact]
    public void NoAnswer_SaysHowLongItWaited() =>
        Assert.Equal(new UpdateOutcome(UpdateVerdict.NoAnswer, "no answer within 2 s"), Judge(null));
}
