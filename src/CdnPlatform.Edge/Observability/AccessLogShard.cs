using System.Buffers;
using System.Buffers.Binary;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// One core's part of the access log: the buffer its requests format their lines into, and the buffers it filled
/// since the writer's last round. Requests on one core take its lock one after another, so the lock is almost never
/// contended; the writer takes it once a round to swap the buffers out.
/// </summary>
internal sealed class AccessLogShard
{
    /// <summary>What each line's record starts with: its length and the timestamp its request completed at.</summary>
    public const int RecordHeader = sizeof(int) + sizeof(long);

    public const int BufferBytes = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _length;
    private List<AccessLogChunk> _filled = [];
    private int _filledLines;

    public AccessLogShard(string pop) => Formatter = new AccessLogLineFormatter(pop);

    public Lock Gate { get; } = new();

    public AccessLogLineFormatter Formatter { get; }

    /// <summary>Lines in the current buffer.</summary>
    public int Lines { get; private set; }

    /// <summary>Lines in buffers put aside for the writer.</summary>
    public int FilledLines => _filledLines;

    /// <summary>Lines the writer has not taken yet.</summary>
    public int Waiting => _filledLines + Lines;

    /// <summary>Room for <paramref name="bytes"/> more in the current buffer (with the record's header).</summary>
    public bool HasRoom(int bytes) => _buffer.Length - _length >= RecordHeader + bytes;

    /// <summary>Puts the current buffer aside for the writer and starts one with room for <paramref name="bytes"/>.</summary>
    public void StartBuffer(int bytes)
    {
        var lines = Lines;
        if (lines > 0)
        {
            _filled.Add(new AccessLogChunk(_buffer, _length, lines));
            _filledLines += lines;
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferBytes, RecordHeader + bytes));
        }
        else if (!HasRoom(bytes))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(RecordHeader + bytes);
        }
        _length = 0;
        Lines = 0;
    }

    /// <summary>Formats a line at the end of the current buffer, which has room for it.</summary>
    public void Add(in AccessLogEntry entry, long completedAt)
    {
        var record = _buffer.AsSpan(_length);
        var length = Formatter.Format(record[RecordHeader..], entry);
        BinaryPrimitives.WriteInt32LittleEndian(record, length);
        BinaryPrimitives.WriteInt64LittleEndian(record[sizeof(int)..], completedAt);
        _length += RecordHeader + length;
        Lines++;
    }

    /// <summary>Hands the writer every buffer with lines in it, oldest first, and starts anew. Under <see cref="Gate"/>.</summary>
    public List<AccessLogChunk>? TakeAll()
    {
        StartBuffer(0);
        if (_filled.Count == 0)
        {
            return null;
        }
        var taken = _filled;
        _filled = [];
        _filledLines = 0;
        return taken;
    }
}
