using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;

namespace CdnPlatform.Dns.Updating;

/// <summary>
/// Sends updates with ARSoft's <see cref="DnsClient"/>: over UDP, or TCP when the message is too big for a
/// datagram. ARSoft signs the message as it encodes it and checks the answer's signature with the same key.
/// </summary>
public sealed class DnsUpdateSender(TimeSpan timeout) : IDnsUpdateSender
{
    /// <summary>Long enough for a server across a WAN; a retry follows anyway.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public DnsUpdateSender() : this(DefaultTimeout)
    {
    }

    public async Task<UpdateOutcome> SendAsync(IPEndPoint server, DnsUpdateMessage update, CancellationToken cancellationToken)
    {
        using var client = new DnsClient([server.Address],
            [new UdpClientTransport(server.Port), new TcpClientTransport(server.Port)], true, (int)timeout.TotalMilliseconds);
        DnsUpdateMessage? answer;
        try
        {
            answer = await client.SendUpdateAsync(update, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return new UpdateOutcome(UpdateVerdict.NoAnswer, $"{e.GetType().Name}: {e.Message}");
        }
        return Judge(update, answer, timeout);
    }

    /// <summary>The verdict on <paramref name="answer"/> (null: none came) to <paramref name="update"/>.</summary>
    public static UpdateOutcome Judge(DnsUpdateMessage update, DnsUpdateMessage? answer, TimeSpan timeout)
    {
        if (answer is null)
        {
            return new UpdateOutcome(UpdateVerdict.NoAnswer, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        var signature = answer.TSigOptions;
        if (answer.ReturnCode != ReturnCode.NoError)
        {
            // The TSIG error says why a NOTAUTH was given (RFC 8945 §5.2); such an answer is unsigned.
            var tsigError = signature is { Error: not ReturnCode.NoError } ? $" (TSIG {TsigErrorName(signature.Error)})" : "";
            return new UpdateOutcome(UpdateVerdict.Rejected, RcodeName(answer.ReturnCode) + tsigError);
        }
        if (update.TSigOptions is { } sent && (signature is null || signature.ValidationResult != ReturnCode.NoError || !signature.Name.Equals(sent.Name)))
        {
            return new UpdateOutcome(UpdateVerdict.Unverified,
                signature is null ? $"NOERROR, but the answer is not signed with {sent.Name}" : $"NOERROR, but its TSIG did not verify ({TsigErrorName(signature.ValidationResult)})");
        }
        return new UpdateOutcome(UpdateVerdict.Acknowledged, "NOERROR");
    }

    // RFC 1035, 2136 and 6895 mnemonics, as dig prints them.
    private static string RcodeName(ReturnCode code) => code switch
    {
        ReturnCode.NoError => "NOERROR",
        ReturnCode.FormatError => "FORMERR",
        ReturnCode.ServerFailure => "SERVFAIL",
        ReturnCode.NxDomain => "NXDOMAIN",
        ReturnCode.NotImplemented => "NOTIMP",
        ReturnCode.Refused => "REFUSED",
        ReturnCode.YXDomain => "YXDOMAIN",
        ReturnCode.YXRRSet => "YXRRSET",
        ReturnCode.NXRRSet => "NXRRSET",
        ReturnCode.NotAuthoritive => "NOTAUTH",
        ReturnCode.NotZone => "NOTZONE",
        _ => $"RCODE {(int)code}",
    };

    // 16 is BADVERS in an OPT record but BADSIG in a TSIG one; ARSoft names it BadVersion either way.
    private static string TsigErrorName(ReturnCode code) => code switch
    {
        ReturnCode.BadSig => "BADSIG",
        ReturnCode.BadKey => "BADKEY",
        ReturnCode.BadTime => "BADTIME",
        ReturnCode.BadAlg => "BADALG",
        ReturnCode.BadTrunc => "BADTRUNC",
        _ => RcodeName(code),
    };
}
