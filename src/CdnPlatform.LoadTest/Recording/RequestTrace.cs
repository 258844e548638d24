using System.Globalization;
using System.Threading.Channels;

namespace CdnPlatform.LoadTest.Recording;

/// <summary>
/// Every request of the measured load as one CSV line (<c>--trace FILE</c>): when it was due, where it went, how it
/// ended, its latency from the intended send and its service time from the actual one. Their difference is the
/// wait before the send (the dispatcher's lag, a free connection), so a tail can be put where it belongs: the tool,
/// the connections or the server. Lines are queued and written by a task of their own; a request never waits on the disk.
/// </summary>
public sealed class RequestTrace : IAsyncDisposable
{
    public const string Header = "due_s,pop,method,path,status,error,latency_ms,service_ms";
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;

    public RequestTrace(string path)
    {
        var file = new StreamWriter(path, append: false);
        _writing = WriteAsync(file);
    }

    /// <param name="due">The request's intended send time (closed model: its actual one), from the start of the load.</param>
    /// <param name="service">Zero when no answer came.</param>
    public void Write(TimeSpan due, string pop, string method, string path, int status, ErrorKind? error, TimeSpan latency, TimeSpan service) =>
        _lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture,
            $"{due.TotalSeconds:0.000000},{pop},{method},{Csv(path)},{status},{(error is { } kind ? ErrorKinds.Name(kind) : "")},{latency.TotalMilliseconds:0.000},{service.TotalMilliseconds:0.000}"));

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writing;
    }

    private async Task WriteAsync(StreamWriter file)
    {
        await using (file)
        {
            await file.WriteLineAsync(Header);
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                await file.WriteLineAsync(line);
            }
        }
    }

    // Paths come from a sitemap: one with a comma or a quote is quoted, as CSV has it.
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(',', '"') < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
