using System.Buffers;
using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CdnPlatform.Edge.Configuration;
using CdnPlatform.Edge.Observability;
using CdnPlatform.Edge.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace HitPath;

/// <summary>
/// What watching a hit costs (issue 15: metrics and access logs within 3 % of the hit rate): the recorder around a
/// request that completed (the outcome read from Cache-Status, one counter bumped), the same
/// with an access log line queued, and the writer's formatting of one line, which happens on another thread.
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
    private ArrayBufferWriter<byte> _buffer = null!;
    private Utf8JsonWriter _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        var site = new SiteOptions { Name = "shop", Hosts = ["www.shop.test"], Origin = "http://127.0.0.1:1" };
        var quiet = new EdgeOptions { Name = "ams", Sites = [site] };
        var logging = quiet with { AccessLog = new AccessLogOptions { Enabled = true } };
        var sites = new SiteDirectory(quiet);
        _site = sites.All[0];
        _counted = new EdgeRequestRecorder(new EdgeTraffic(sites), new AccessLogWriter(quiet, TimeProvider.System, NullLogger<AccessLogWriter>.Instance), TimeProvider.System);
        _writer = new AccessLogWriter(logging, TimeProvider.System, NullLogger<AccessLogWriter>.Instance);
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
        _buffer = new ArrayBufferWriter<byte>(1024 * 1024);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    // The request path's part: the site it found, an answer already written.
    private Task Answered(HttpContext context, out Site? site)
    {
        site = _site;
        return Task.CompletedTask;
    }

    [Benchmark(Description = "record: a hit counted (metrics on, no access log)")]
    public Task Counted() => _counted.HandleAsync(_context, _answered);

    [Benchmark(Description = "record: a hit counted and its log line queued")]
    public Task Logged()
    {
        var handled = _logged.HandleAsync(_context, _answered);
        _writer.DrainForBenchmark();
        return handled;
    }

    [Benchmark(Description = "access log: one line formatted (the writer's thread)")]
    public void Line()
    {
        _writer.Write(_json, _entry);
        _json.Flush();
        _json.Reset(_buffer);
        if (_buffer.WrittenCount > 512 * 1024)
        {
            _buffer.ResetWrittenCount();
        }
    }
}
