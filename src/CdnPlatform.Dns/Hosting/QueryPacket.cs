using System.Buffers.Binary;
using CdnPlatform.Dns.Answering;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// A query read on the wire (RFC 1035 §4.1, RFC 6891 §6.1.2), only as far as the client subnet option, and the
/// FORMERR answer to one whose option is malformed. Whatever it cannot walk it leaves to ARSoft's parser.
/// </summary>
internal static class QueryPacket
{
    private const int HeaderLength = 12;
    private const ushort OptType = 41;
    private const ushort ClientSubnetCode = 8;

    /// <summary>What is wrong with the client subnet option of the query's OPT record; None when it has none or is fine.</summary>
    public static ClientSubnetFault ClientSubnetFaultOf(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            return ClientSubnetFault.None;
        }
        var position = HeaderLength;
        var questions = Count(message, 4);
        for (var i = 0; i < questions; i++)
        {
            if (!SkipName(message, ref position, allowPointer: true) || (position += 4) > message.Length)
            {
                return ClientSubnetFault.None;
            }
        }
        var records = Count(message, 6) + Count(message, 8) + Count(message, 10);
        var additionalFrom = Count(message, 6) + Count(message, 8);
        for (var i = 0; i < records; i++)
        {
            if (!SkipName(message, ref position, allowPointer: true) || position + 10 > message.Length)
            {
                return ClientSubnetFault.None;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            position += 10;
            if (position + length > message.Length)
            {
                return ClientSubnetFault.None;
            }
            if (i >= additionalFrom && type == OptType)
            {
                return OptionsFault(message.Slice(position, length));
            }
            position += length;
        }
        return ClientSubnetFault.None;
    }

    /// <summary>
    /// FORMERR to <paramref name="query"/> (at least a header): its ID, opcode and RD, its question when it has one
    /// written plainly, and an OPT record offering <paramref name="udpPayloadSize"/> (RFC 6891 §6.1.1: a query
    /// with OPT gets OPT back). With the two octets of length first that ARSoft's packages reserve.
    /// </summary>
    public static byte[] FormatError(ReadOnlySpan<byte> query, ushort udpPayloadSize)
    {
        var question = PlainQuestion(query);
        const int OptLength = 11;
        var package = new byte[2 + HeaderLength + question.Length + OptLength];
        BinaryPrimitives.WriteUInt16BigEndian(package, (ushort)(package.Length - 2));
        var response = package.AsSpan(2);
        query[..2].CopyTo(response);
        response[2] = (byte)(0x80 | (query[2] & 0x79));
        response[3] = 1;
        response[5] = (byte)(question.IsEmpty ? 0 : 1);
        response[11] = 1;
        question.CopyTo(response[HeaderLength..]);
        var opt = response[(HeaderLength + question.Length)..];
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], OptType);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], udpPayloadSize);
        return package;
    }

    private static ClientSubnetFault OptionsFault(ReadOnlySpan<byte> options)
    {
        var seen = false;
        while (options.Length >= 4)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(options);
            var length = BinaryPrimitives.ReadUInt16BigEndian(options[2..]);
            if (4 + length > options.Length)
            {
                return code == ClientSubnetCode ? ClientSubnetFault.Truncated : ClientSubnetFault.None;
            }
            if (code == ClientSubnetCode)
            {
                if (seen)
                {
                    return ClientSubnetFault.Repeated;
                }
                seen = true;
                if (ClientSubnet.Check(options.Slice(4, length)) is var fault and not ClientSubnetFault.None)
                {
                    return fault;
                }
            }
            options = options[(4 + length)..];
        }
        return ClientSubnetFault.None;
    }

    // The one question, when its name has no compression pointer, so that its octets can be copied as they are.
    private static ReadOnlySpan<byte> PlainQuestion(ReadOnlySpan<byte> query)
    {
        var position = HeaderLength;
        return Count(query, 4) == 1 && SkipName(query, ref position, allowPointer: false) && position + 4 <= query.Length
            ? query[HeaderLength..(position + 4)]
            : [];
    }

    private static bool SkipName(ReadOnlySpan<byte> message, ref int position, bool allowPointer)
    {
        while (position < message.Length)
        {
            var length = message[position];
            if (length == 0)
            {
                position++;
                return true;
            }
            if ((length & 0xC0) == 0xC0)
            {
                position += 2;
                return allowPointer && position <= message.Length;
            }
            if ((length & 0xC0) != 0)
            {
                return false;
            }
            position += 1 + length;
        }
        return false;
    }

    private static int Count(ReadOnlySpan<byte> message, int offset) => BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
}
