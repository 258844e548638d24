using System.Text.Json;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Audit;

/// <summary>
/// One line per purge request, per DNS change and per failover step — who, what, when, outcome — to the application log and, when
/// <c>Control:AuditLogPath</c> is set, appended (JSON lines) to that file, flushed before the API answers.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private readonly ILogger<AuditLog> _logger;
    private readonly StreamWriter? _file;
    private readonly Lock _write = new();

    public AuditLog(ControlOptions options, ILogger<AuditLog> logger)
    {
        _logger = logger;
        if (!string.IsNullOrEmpty(options.AuditLogPath))
        {
            _file = new StreamWriter(new FileStream(options.AuditLogPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    public void Record(PurgeAuditEntry entry) => Write(JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.PurgeAuditEntry));

    public void Record(DnsAuditEntry entry) => Write(JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.DnsAuditEntry));

    public void Record(FailoverAuditEntry entry) => Write(JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.FailoverAuditEntry));

    private void Write(string line)
    {
        Log.Entry(_logger, line);
        if (_file is not null)
        {
            lock (_write)
            {
                _file.WriteLine(line);
            }
        }
    }

    public void Dispose() => _file?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "audit {Entry}")]
        public static partial void Entry(ILogger logger, string entry);
    }
}
