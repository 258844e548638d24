using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Writes one access log line, JSON in UTF-8 and ended by a newline, straight into bytes: the names and the POP are
/// copied from constants, the site's and method's JSON is kept from their last line, numbers and the client address
/// format themselves in place, and the path is transcoded once and escaped only when it holds a quote, a backslash
/// or a control character. A line
/// costs a few copies; a general JSON writer's per-value checks cost more than the rest of the request's recording.
/// Not thread-safe: each core's buffer has its own (it keeps the current second's digits).
/// </summary>
internal sealed class AccessLogLineFormatter
{
    /// <summary>Bytes a line needs besides its strings: names, time, numbers, an IPv6 address with its zone.</summary>
    private const int FixedLength = 320;

    // Raw UTF-8 is valid JSON; only these must be escaped inside a string (RFC 8259, section 7).
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private readonly byte[] _pop;
    // A core's requests mostly repeat one site and Kestrel's interned method strings: their JSON is kept by reference.
    private readonly RepeatedStrings _sites = new();
    private readonly RepeatedStrings _methods = new();
    private long _second = -1;
    private readonly byte[] _secondText = new byte[32];
    private int _secondLength;

    public AccessLogLineFormatter(string pop)
    {
        var text = new byte[MaxStringLength(pop)];
        _pop = text[..WriteString(text, pop)];
    }

    /// <summary>The most bytes <see cref="Format"/> may write for <paramref name="entry"/>.</summary>
    public int MaxLength(in AccessLogEntry entry) =>
        FixedLength + _pop.Length + MaxStringLength(entry.Site) + MaxStringLength(entry.Method) + MaxStringLength(entry.Path);

    /// <summary>Writes <paramref name="entry"/>'s line into <paramref name="line"/>, at least <see cref="MaxLength"/> long.</summary>
    /// <returns>The bytes written, the newline included.</returns>
    public int Format(Span<byte> line, in AccessLogEntry entry)
    {
        var at = Append(line, 0, "{\"time\":\""u8);
        at += WriteTime(line[at..], entry.Time.UtcTicks);
        at = Append(line, at, "\",\"pop\":"u8);
        at = Append(line, at, _pop);
        at = Append(line, at, ",\"site\":"u8);
        at += _sites.Write(line[at..], entry.Site);
        at = Append(line, at, ",\"method\":"u8);
        at += _methods.Write(line[at..], entry.Method);
        at = Append(line, at, ",\"path\":"u8);
        at += WriteString(line[at..], entry.Path);
        at = Append(line, at, ",\"status\":"u8);
        entry.Status.TryFormat(line[at..], out var written);
        at += written;
        at = Append(line, at, ",\"bytes\":"u8);
        if (entry.Bytes is { } bytes)
        {
            bytes.TryFormat(line[at..], out written);
            at += written;
        }
        else
        {
            at = Append(line, at, "null"u8);
        }
        at = Append(line, at, ",\"cache\":\""u8);
        at = Append(line, at, CacheTokens[(int)entry.Cache]);
        at = Append(line, at, "\",\"originMs\":"u8);
        at = entry.OriginTime is { } origin ? at + WriteMilliseconds(line[at..], origin) : Append(line, at, "null"u8);
        at = Append(line, at, ",\"totalMs\":"u8);
        at += WriteMilliseconds(line[at..], entry.TotalTime);
        at = Append(line, at, ",\"client\":"u8);
        if (entry.Client is { } client)
        {
            line[at++] = (byte)'"';
            at += WriteAddress(line[at..], client);
            line[at++] = (byte)'"';
        }
        else
        {
            at = Append(line, at, "null"u8);
        }
        return Append(line, at, "}\n"u8);
    }

    private static readonly byte[][] CacheTokens =
        [.. Enumerable.Range(0, CacheOutcomes.Count).Select(i => Encoding.UTF8.GetBytes(CacheOutcomes.Token((CacheOutcome)i)))];

    private static int Append(Span<byte> line, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line[at..]);
        return at + bytes.Length;
    }

    // A UTF-16 unit is at most three bytes of UTF-8, or six escaped (\u001f); and two quotes.
    private static int MaxStringLength(string value) => 2 + 6 * value.Length;

    /// <summary>A JSON string, quoted: lone surrogates become U+FFFD, as any UTF-8 writer must.</summary>
    private static int WriteString(Span<byte> destination, string value)
    {
        destination[0] = (byte)'"';
        Utf8.FromUtf16(value, destination[1..], out _, out var written, replaceInvalidSequences: true);
        if (destination.Slice(1, written).ContainsAny(MustEscape))
        {
            written = WriteEscaped(destination[1..], value);
        }
        destination[1 + written] = (byte)'"';
        return written + 2;
    }

    // The rare path: a path with a quote, a backslash or a control character (Kestrel decodes %22 and %0A).
    private static int WriteEscaped(Span<byte> destination, string value)
    {
        var at = 0;
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            rest = rest[consumed..];
            if (rune.Value is < 0x20 or '"' or '\\')
            {
                at += rune.Value switch
                {
                    '"' => Append(destination, at, "\\\""u8) - at,
                    '\\' => Append(destination, at, "\\\\"u8) - at,
                    '\n' => Append(destination, at, "\\n"u8) - at,
                    '\r' => Append(destination, at, "\\r"u8) - at,
                    '\t' => Append(destination, at, "\\t"u8) - at,
                    _ => WriteUnicodeEscape(destination[at..], rune.Value),
                };
            }
            else
            {
                at += rune.EncodeToUtf8(destination[at..]);
            }
        }
        return at;
    }

    private static int WriteUnicodeEscape(Span<byte> destination, int value)
    {
        "\\u00"u8.CopyTo(destination);
        destination[4] = (byte)"0123456789abcdef"[value >> 4];
        destination[5] = (byte)"0123456789abcdef"[value & 0xF];
        return 6;
    }

    /// <summary>The JSON of strings a core's lines repeat (sites, methods), kept by reference: no transcoding per line.</summary>
    private sealed class RepeatedStrings
    {
        // Site names come from the configuration and known methods are Kestrel's interned strings; an unknown method
        // is a new string per request, so what is kept is bounded and the rest written as it comes.
        private const int Kept = 64;
        private readonly Dictionary<string, byte[]> _json = new(ReferenceEqualityComparer.Instance);
        private string? _last;
        private byte[] _lastJson = [];

        public int Write(Span<byte> destination, string value)
        {
            if (!ReferenceEquals(value, _last))
            {
                if (!_json.TryGetValue(value, out var json))
                {
                    if (_json.Count >= Kept)
                    {
                        return WriteString(destination, value);
                    }
                    json = new byte[MaxStringLength(value)];
                    json = _json[value] = json[..WriteString(json, value)];
                }
                _last = value;
                _lastJson = json;
            }
            _lastJson.CopyTo(destination);
            return _lastJson.Length;
        }
    }

    // Clients repeat (a connection's requests, a NAT's visitors): the last IPv4 address's text is kept.
    private IPAddress? _lastClient;
    private uint _lastAddress;
    private readonly byte[] _lastAddressText = new byte[15];
    private int _lastAddressLength;

    private int WriteAddress(Span<byte> destination, IPAddress client)
    {
        if (ReferenceEquals(client, _lastClient))
        {
            return Append(destination, 0, _lastAddressText.AsSpan(0, _lastAddressLength));
        }
        if (client.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            client.TryWriteBytes(bytes, out _);
            var address = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            if (address != _lastAddress || _lastAddressLength == 0)
            {
                client.TryFormat(_lastAddressText, out _lastAddressLength);
                _lastAddress = address;
            }
            _lastClient = client;
            return Append(destination, 0, _lastAddressText.AsSpan(0, _lastAddressLength));
        }
        client.TryFormat(destination, out var written);
        return written;
    }

    // ISO 8601 in UTC to the millisecond (2026-12-06T18:30:00.123): the second's digits are made once per second.
    private int WriteTime(Span<byte> destination, long ticks)
    {
        var second = ticks / TimeSpan.TicksPerSecond;
        if (second != _second)
        {
            new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc).TryFormat(_secondText, out _secondLength, "yyyy-MM-ddTHH:mm:ss",
                System.Globalization.CultureInfo.InvariantCulture);
            _second = second;
        }
        var at = Append(destination, 0, _secondText.AsSpan(0, _secondLength));
        var millis = ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond;
        destination[at++] = (byte)'.';
        destination[at++] = (byte)('0' + millis / 100);
        destination[at++] = (byte)('0' + millis / 10 % 10);
        destination[at++] = (byte)('0' + millis % 10);
        destination[at++] = (byte)'Z';
        return at;
    }

    // Milliseconds to the microsecond (3.412) as fixed-point digits: formatting a double costs more than a line.
    private static int WriteMilliseconds(Span<byte> destination, TimeSpan time)
    {
        var micros = Math.Max(0, time.Ticks / 10);
        (micros / 1000).TryFormat(destination, out var whole);
        var fraction = micros % 1000;
        destination[whole] = (byte)'.';
        destination[whole + 1] = (byte)('0' + fraction / 100);
        destination[whole + 2] = (byte)('0' + fraction / 10 % 10);
        destination[whole + 3] = (byte)('0' + fraction % 10);
        return whole + 4;
    }
}
