using System.Net;
using BenchmarkDotNet.Attributes;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Observability;
using CdnPlatform.Edge.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitPath;

/// <summary>
/// What watching a hit costs (issue 15: metrics and access logs within 3 % of the hit rate): the recorder around a
/// request that completed (the outcome read from Cache-Status, one counter bumped), the same with its access log line
/// formatted into the core's buffer, and that formatting alone.
/// (The site is the request path's: it looked it up, the recorder does not again.)
/// </summary>
[MemoryDiagnoser]
public class RecordSteps
{
    private EdgeRequestRecorder _counted = null!;
    private EdgeRequestRecorder _logged = null!;
    private AccessLogWriter _writer = null!;
    private DefaultHttpContext _context = null!;
    private SiteRequestDelegate _answered = null!;
    private Site _site = null!;
    private AccessLogEntry _entry;
    private AccessLogLineFormatter _formatter = null!;
    private byte[] _line = null!;

    [GlobalSetup]
    public void Setup()
    {
        var site = new SiteOptions { Name = "shop", Hosts = ["www.shop.test"], Origin = "http://127.0.0.1:1" };
        var quiet = new EdgeOptions { Name = "ams", Sites = [site] };
        var logging = quiet with { AccessLog = new AccessLogOptions { Enabled = true } };
        var sites = new SiteDirectory(quiet);
        _site = sites.All[0];
        _counted = new EdgeRequestRecorder(new EdgeTraffic(sites), new AccessLogWriter(quiet, NullLogger<AccessLogWriter>.Instance), TimeProvider.System);
        _writer = new AccessLogWriter(logging, NullLogger<AccessLogWriter>.Instance);
        _logged = new EdgeRequestRecorder(new EdgeTraffic(sites), _writer, TimeProvider.System);
        _context = new DefaultHttpContext();
        _context.Request.Method = "GET";
        _context.Request.Host = new HostString("www.shop.test:8080");
        _context.Request.Path = "/products/42";
        _context.Response.StatusCode = 200;
        _context.Response.ContentLength = 1024;
        _context.Response.Headers["Cache-Status"] = "CdnPlatform; hit; ttl=299";
        _context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        _answered = Answered;
        _entry = new AccessLogEntry(DateTimeOffset.UtcNow, "shop", "GET", "/products/42", 200, 1024, CacheOutcome.Hit, null,
            TimeSpan.FromMicroseconds(412), IPAddress.Parse("203.0.113.7"));
        _formatter = new AccessLogLineFormatter("ams");
        _line = new byte[_formatter.MaxLength(_entry)];
    }

    // The request path's part: the site it found, an answer already written.
    private Task Answered(HttpContext context, out Site? site)
    {
        site = _site;
        return Task.CompletedTask;
    }

    [Benchmark(Description = "record: a hit counted (metrics on, no access log)")]
    public Task Counted() => _counted.HandleAsync(_context, _answered);

    [Benchmark(Description = "record: a hit counted and its log line formatted into the core buffer")]
    public Task Logged()
    {
        var handled = _logged.HandleAsync(_context, _answered);
        _writer.DrainForBenchmark();
        return handled;
    }

    [Benchmark(Description = "access log: one line formatted (part of the line above)")]
    public int Line() => _formatter.Format(_line, _entry);

    // As the edge writes them: each line after the last, through 8 MiB before the first is written again (a 100 ms
    // round at 80k lines/s fills ~2 MB of buffers), so every line lands in memory no cache holds any more.
    private readonly byte[] _round = new byte[8 * 1024 * 1024];
    private int _at;

    [Benchmark(Description = "access log: one line formatted into fresh memory (as in a round)")]
    public int LineIntoFreshMemory()
    {
        if (_at + 1024 > _round.Length)
        {
            _at = 0;
        }
        var written = _formatter.Format(_round.AsSpan(_at), _entry);
        _at += written;
        return written;
    }
}
