using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Vary;

/// <summary>
/// A request's key segments for a Vary, one a selecting field, in the Vary's order: their concatenation is the
/// request's secondary key. Used with <c>foreach</c>; each segment is valid until the next is asked for.
/// </summary>
internal ref struct RequestVaryKeySegments<TState>
{
    private readonly IReadOnlyList<string> _names;
    private readonly TState _state;
    private readonly Func<string, TState, StringValues> _requestHeader;
    private char[]? _rented;
    private int _next;

    public RequestVaryKeySegments(VaryFields fields, TState state, Func<string, TState, StringValues> requestHeader)
    {
        _names = fields.Names;
        _state = state;
        _requestHeader = requestHeader;
        _rented = null;
        _next = 0;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly RequestVaryKeySegments<TState> GetEnumerator() => this;

    public bool MoveNext()
    {
        ReturnBuffer();
        if (_next == _names.Count)
        {
            return false;
        }
        var name = _names[_next++];
        var lines = _requestHeader(name, _state);
        if (RecentVaryKeySegments.TryGet(name, lines, out var segment))
        {
            Current = segment;
            return true;
        }
        // Several lines or a long value: rare enough to write each time, into a pooled buffer.
        _rented = ArrayPool<char>.Shared.Rent(VaryKeySegment.MaxLength(name, lines));
        Current = _rented.AsSpan(0, VaryKeySegment.Write(name, lines, _rented));
        return true;
    }

    /// <summary>Called by <c>foreach</c>, also when the loop is left early.</summary>
    public void Dispose() => ReturnBuffer();

    private void ReturnBuffer()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
