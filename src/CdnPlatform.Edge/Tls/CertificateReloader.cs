using CdnPlatform.Edge.Configuration;

namespace CdnPlatform.Edge.Tls;

/// <summary>
/// Reads the certificate files again every <c>Edge:Tls:ReloadCheckSeconds</c> and serves what they hold from the next
/// handshake on, when it differs and all of it can be used: a renewal (certbot, an ACME client, a secret mounted into a
/// container) needs no restart and drops no connection. A file that cannot be used is logged as an error once, naming
/// its key, and the certificates in use stay; the next change of the files is tried again.
/// </summary>
/// <remarks>
/// The files are read and compared by the certificates they hold, not by their times: renewals often replace a symlink
/// (certbot's live/ into archive/), whose own time says nothing of what it points to. Reading a few PEM files a minute
/// costs next to nothing.
/// </remarks>
internal sealed partial class CertificateReloader : IHostedService, IDisposable
{
    private readonly ServerCertificates _certificates;
    private readonly EdgeTlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateReloader> _logger;
    private readonly string _key = $"{EdgeOptions.Section}:{EdgeTlsOptions.Section}";
    private readonly Lock _checking = new();
    private ITimer? _timer;
    private string? _lastFailure;

    public CertificateReloader(ServerCertificates certificates, EdgeOptions options, TimeProvider time, ILogger<CertificateReloader> logger)
    {
        _certificates = certificates;
        _options = options.Tls;
        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromSeconds(_options.ReloadCheckSeconds);
        _timer = _time.CreateTimer(static state => ((CertificateReloader)state!).Check(), this, every, every);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();

    /// <summary>One check: the files read, and what they hold served if it changed and can be used.</summary>
    internal void Check()
    {
        // A check that outlasts the period (a file on a slow mount) is not overtaken by the next.
        if (!_checking.TryEnter())
        {
            return;
        }
        try
        {
            var failures = new List<string>();
            if (_certificates.Reload(_options, _key, failures))
            {
                Log.Reloaded(_logger, Describe(_certificates.Current));
                _lastFailure = null;
            }
            else if (failures.Count > 0)
            {
                var failure = string.Join("; ", failures);
                if (failure != _lastFailure)
                {
                    Log.CannotReload(_logger, failure, Describe(_certificates.Current));
                    _lastFailure = failure;
                }
            }
            else
            {
                _lastFailure = null;
            }
        }
        catch (Exception e)
        {
            // On a timer's thread an exception would end the process; the certificates in use are still good.
            Log.CheckFailed(_logger, e);
        }
        finally
        {
            _checking.Exit();
        }
    }

    private static string Describe(CertificateSet set) =>
        string.Join(", ", set.Leaves.Select(c => $"{c.Subject} until {c.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm}Z"));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "TLS certificates reloaded from their files: {Certificates}")]
        public static partial void Reloaded(ILogger logger, string certificates);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "TLS certificate files changed but cannot be used: {Failures}. Still serving {Certificates}")]
        public static partial void CannotReload(ILogger logger, string failures, string certificates);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Checking the TLS certificate files failed; the certificates in use stay")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
