using System.Net.Sockets;
using System.Text;

namespace CdnPlatform.LoadTest.Tests.Http;

/// <summary>One accepted connection of a <see cref="ScriptedServer"/>.</summary>
internal sealed class ScriptedConnection(NetworkStream stream, int number, CancellationToken stopping)
{
    private readonly List<byte> _pending = [];

    public int Number { get; } = number;

    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Reads one request head (up to CRLF CRLF); null when the client closed the connection.</summary>
    public async Task<string?> ReadRequestAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.ASCII.GetString(_pending.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..end];
            }
            var read = await stream.ReadAsync(buffer, Stopping);
            if (read == 0)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    public async Task WriteAsync(string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Stopping);
        await stream.FlushAsync(Stopping);
    }
}
