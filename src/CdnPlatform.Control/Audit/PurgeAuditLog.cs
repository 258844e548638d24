using System.Text.Json;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Audit;

/// <summary>
/// One line per purge request — who, what, when, outcome — to the application log and, when
/// <c>Control:AuditLogPath</c> is set, appended (JSON lines) to that file, flushed before the API answers.
/// </summary>
public sealed partial class PurgeAuditLog : IDisposable
{
    private readonly ILogger<PurgeAuditLog> _logger;
    private readonly StreamWriter? _file;
    private readonly Lock _write = new();

    public PurgeAuditLog(ControlOptions options, ILogger<PurgeAuditLog> logger)
    {
        _logger = logger;
        if (!string.IsNullOrEmpty(options.AuditLogPath))
        {
            _file = new StreamWriter(new FileStream(options.AuditLogPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    public void Record(PurgeAuditEntry entry)
    {
        var line = JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.PurgeAuditEntry);
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
