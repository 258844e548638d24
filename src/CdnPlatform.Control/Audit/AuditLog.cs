using System.Text.Json;
using CdnPlatform.Control.Configuration;

namespace CdnPlatform.Control.Audit;

/// <summary>
/// One line per purge request, per DNS change and per failover step — who, what, when, outcome — to the application log and, when
/// <c>Control:AuditLogPath</c> is set, appended (JSON lines) to that file, flushed before the API answers. The last
/// <c>Control:AuditHistory</c> lines are also kept in memory for <c>GET /v1/audit</c>.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private readonly ILogger<AuditLog> _logger;
    private readonly StreamWriter? _file;
    private readonly Lock _write = new();
    private readonly RecentAuditLines _recent;

    public AuditLog(ControlOptions options, ILogger<AuditLog> logger)
    {
        _logger = logger;
        _recent = new RecentAuditLines(options.AuditHistory);
        if (!string.IsNullOrEmpty(options.AuditLogPath))
        {
            _file = new StreamWriter(new FileStream(options.AuditLogPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    public void Record(PurgeAuditEntry entry) => Write("purge", JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.PurgeAuditEntry));

    public void Record(DnsAuditEntry entry) => Write("dns", JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.DnsAuditEntry));

    public void Record(FailoverAuditEntry entry) => Write("failover", JsonSerializer.Serialize(entry, Api.ControlJsonContext.Default.FailoverAuditEntry));

    /// <summary>Up to <paramref name="count"/> of the lines kept in memory, newest first.</summary>
    public IReadOnlyList<AuditLine> Recent(int count) => _recent.Newest(count);

    private void Write(string kind, string line)
    {
        Log.Entry(_logger, line);
        _recent.Add(new AuditLine(kind, line));
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
