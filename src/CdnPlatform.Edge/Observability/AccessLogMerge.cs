using System.Buffers;
using System.Buffers.Binary;

namespace CdnPlatform.Edge.Observability;

/// <summary>
/// Puts a round's lines back in the order their requests completed: each core's lines are in order already, so this
/// is a merge of a few sorted runs (one per core), by the timestamp each record carries.
/// </summary>
internal sealed class AccessLogMerge
{
    private readonly List<AccessLogChunk>[] _runs;
    private readonly int[] _chunk;
    private readonly int[] _offset;

    public AccessLogMerge(IReadOnlyList<List<AccessLogChunk>> runs)
    {
        _runs = [.. runs];
        _chunk = new int[_runs.Length];
        _offset = new int[_runs.Length];
    }

    /// <summary>Copies the next lines, oldest first, until <paramref name="output"/> holds about <paramref name="bytes"/>.</summary>
    /// <returns>The lines copied; 0 once every line was.</returns>
    public int CopyTo(ArrayBufferWriter<byte> output, int bytes)
    {
        var lines = 0;
        while (output.WrittenCount < bytes && Next() is var run and >= 0)
        {
            var record = Head(run);
            var length = BinaryPrimitives.ReadInt32LittleEndian(record);
            output.Write(record.Slice(AccessLogShard.RecordHeader, length));
            Advance(run, AccessLogShard.RecordHeader + length);
            lines++;
        }
        return lines;
    }

    // The run whose next line completed first; -1 when all are done. Runs are a handful (one per core): a scan is
    // cheaper than a heap.
    private int Next()
    {
        var next = -1;
        var earliest = long.MaxValue;
        for (var run = 0; run < _runs.Length; run++)
        {
            if (_chunk[run] < _runs[run].Count)
            {
                var completedAt = BinaryPrimitives.ReadInt64LittleEndian(Head(run)[sizeof(int)..]);
                if (next < 0 || completedAt < earliest)
                {
                    next = run;
                    earliest = completedAt;
                }
            }
        }
        return next;
    }

    private ReadOnlySpan<byte> Head(int run)
    {
        var chunk = _runs[run][_chunk[run]];
        return chunk.Buffer.AsSpan(_offset[run], chunk.Length - _offset[run]);
    }

    private void Advance(int run, int consumed)
    {
        _offset[run] += consumed;
        if (_offset[run] == _runs[run][_chunk[run]].Length)
        {
            _chunk[run]++;
            _offset[run] = 0;
        }
    }
}
