using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>
/// Plays CloudFront's invalidation API on a real loopback socket: checks each request's SigV4 signature with
/// <see cref="SigV4Verifier"/> and each body against the documented <c>InvalidationBatch</c>, then answers as the
/// API reference shows (201 + <c>Location</c> + <c>&lt;Invalidation&gt;</c>, <c>&lt;ErrorResponse&gt;</c> on refusal).
/// Invalidations it creates are <c>InProgress</c>; asked about later, they are <c>Completed</c>.
/// </summary>
public sealed partial class FakeCloudFront : IAsyncDisposable
{
    public const string AccessKeyId = "AKIAFAKECLOUDFRONT01";
    public const string SecretAccessKey = "fake/cloudfront+Secret0123456789abcdefghij";
    public const string Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    private readonly WebApplication _app;
    private readonly SigV4Verifier _verifier;
    private readonly Dictionary<string, string> _secrets = new() { [AccessKeyId] = SecretAccessKey };
    private readonly ConcurrentDictionary<string, (string Id, string CallerReference, List<string> Paths, DateTimeOffset Created)> _invalidations = new();
    private readonly TimeProvider _clock;
    private int _sequence;

    private FakeCloudFront(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        _verifier = new SigV4Verifier("us-east-1", "cloudfront", _secrets, clock);
    }

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<FakeCloudFrontRequest> Requests { get; } = new();

    /// <summary>Invalidations created, over every distribution (an idempotent repeat creates none).</summary>
    public int InvalidationCount => _invalidations.Count;

    /// <summary>Consulted for each well-formed, correctly signed CreateInvalidation: an answer here is sent instead of creating one.</summary>
    public Func<FakeCloudFrontRequest, (int Status, string? Code, string Message)?>? Refuse { get; set; }

    /// <summary>Another key pair the fake accepts, e.g. one a test puts in the environment.</summary>
    public void Accept(string accessKeyId, string secretAccessKey) => _secrets[accessKeyId] = secretAccessKey;

    public static async Task<FakeCloudFront> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeCloudFront(app, clock);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = new Uri(app.Urls.First());
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(',', h.Value.Select(v => v!.Trim())), StringComparer.OrdinalIgnoreCase);

        var signatureFailure = _verifier.Verify(request.Method, rawTarget, headers, body);
        var route = Route().Match(rawTarget);
        var schema = new List<string>();
        string? reference = null;
        List<string> paths = [];
        if (route.Success && request.Method == "POST" && !route.Groups["invalidation"].Success)
        {
            (reference, paths) = ReadBatch(request.ContentType, body, schema);
        }
        var received = new FakeCloudFrontRequest(request.Method, rawTarget, headers, body, signatureFailure, schema, reference, paths);
        Requests.Enqueue(received);

        if (signatureFailure is not null)
        {
            await Error(context, 403, "SignatureDoesNotMatch", signatureFailure);
            return;
        }
        if (!route.Success)
        {
            await Error(context, 404, "NotFound", $"no such resource {rawTarget}");
            return;
        }
        var distribution = route.Groups["distribution"].Value;
        switch (request.Method)
        {
            case "POST" when !route.Groups["invalidation"].Success:
                if (schema.Count > 0)
                {
                    var tooMany = schema.Any(s => s.Contains("at most", StringComparison.Ordinal));
                    await Error(context, tooMany ? 413 : 400, tooMany ? "BatchTooLarge" : "InvalidArgument", string.Join("; ", schema));
                    return;
                }
                if (Refuse?.Invoke(received) is { } refusal)
                {
                    await Error(context, refusal.Status, refusal.Code, refusal.Message);
                    return;
                }
                await Create(context, distribution, reference!, paths);
                return;
            case "GET" when route.Groups["invalidation"].Success:
                var key = $"{distribution}/{route.Groups["invalidation"].Value}";
                if (!_invalidations.TryGetValue(key, out var found))
                {
                    await Error(context, 404, "NoSuchInvalidation", "The specified invalidation does not exist.");
                    return;
                }
                await Invalidation(context, 200, found.Id, "Completed", found.Created, found.CallerReference, found.Paths);
                return;
            default:
                await Error(context, 405, "MethodNotAllowed", $"{request.Method} is not allowed on {rawTarget}");
                return;
        }
    }

    private async Task Create(HttpContext context, string distribution, string reference, List<string> paths)
    {
        // CloudFront's idempotency: the same CallerReference with the same paths answers the first invalidation.
        var existing = _invalidations.Values.Where(i => i.CallerReference == reference).ToList();
        if (existing.Count > 0)
        {
            if (!existing[0].Paths.SequenceEqual(paths))
            {
                await Error(context, 400, "InvalidationBatchAlreadyExists", $"CallerReference {reference} was used with other paths");
                return;
            }
            await Invalidation(context, 201, existing[0].Id, "InProgress", existing[0].Created, reference, paths);
            return;
        }
        var id = $"I{Interlocked.Increment(ref _sequence):D4}FAKE{RandomNumberGenerator.GetHexString(8)}";
        var created = _clock.GetUtcNow();
        _invalidations[$"{distribution}/{id}"] = (id, reference, paths, created);
        context.Response.Headers.Location = $"{Endpoint.ToString().TrimEnd('/')}/2020-05-31/distribution/{distribution}/invalidation/{id}";
        await Invalidation(context, 201, id, "InProgress", created, reference, paths);
    }

    /// <summary>Checks a CreateInvalidation body against the API reference and returns its caller reference and paths.</summary>
    private static (string? Reference, List<string> Paths) ReadBatch(string? contentType, byte[] body, List<string> failures)
    {
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/xml", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Content-Type is '{contentType}', not application/xml");
        }
        XDocument document;
        try
        {
            document = XDocument.Parse(Encoding.UTF8.GetString(body));
        }
        catch (XmlException e)
        {
            failures.Add($"body is not XML: {e.Message}");
            return (null, []);
        }
        XNamespace ns = Namespace;
        var root = document.Root!;
        if (root.Name != ns + "InvalidationBatch")
        {
            failures.Add($"root is {root.Name}, not {{{Namespace}}}InvalidationBatch");
            return (null, []);
        }
        var reference = root.Element(ns + "CallerReference")?.Value;
        if (string.IsNullOrEmpty(reference))
        {
            failures.Add("CallerReference is missing or empty");
        }
        var pathsElement = root.Element(ns + "Paths");
        var quantityText = pathsElement?.Element(ns + "Quantity")?.Value;
        var items = pathsElement?.Element(ns + "Items")?.Elements().ToList() ?? [];
        if (pathsElement is null || !int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity))
        {
            failures.Add("Paths/Quantity is missing or not an integer");
            return (reference, []);
        }
        if (items.FirstOrDefault(i => i.Name != ns + "Path") is { } stray)
        {
            failures.Add($"Items holds {stray.Name}, not only Path");
        }
        var paths = items.Select(i => i.Value).ToList();
        if (quantity != paths.Count)
        {
            failures.Add($"Quantity {quantity} but {paths.Count} Path items");
        }
        if (root.Elements().Select(e => e.Name.LocalName).Except(["CallerReference", "Paths"]).FirstOrDefault() is { } unknown)
        {
            failures.Add($"unknown element {unknown}");
        }
        foreach (var path in paths.Where(p => !p.StartsWith('/')))
        {
            failures.Add($"path '{path}' does not start with '/'");
        }
        var wildcards = paths.Count(p => p.EndsWith('*'));
        if (paths.Count - wildcards > 3000)
        {
            failures.Add($"{paths.Count - wildcards} individual paths; at most 3000 in progress");
        }
        if (wildcards > 15)
        {
            failures.Add($"{wildcards} wildcard paths; at most 15 in progress");
        }
        return (reference, paths);
    }

    private static async Task Invalidation(HttpContext context, int status, string id, string state, DateTimeOffset created, string reference, List<string> paths)
    {
        XNamespace ns = Namespace;
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ns + "Invalidation",
                new XElement(ns + "Id", id),
                new XElement(ns + "Status", state),
                new XElement(ns + "CreateTime", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(ns + "InvalidationBatch",
                    new XElement(ns + "Paths",
                        new XElement(ns + "Quantity", paths.Count),
                        new XElement(ns + "Items", paths.Select(p => new XElement(ns + "Path", p)))),
                    new XElement(ns + "CallerReference", reference))));
        await Write(context, status, document);
    }

    private static async Task Error(HttpContext context, int status, string? code, string message)
    {
        if (code is null)
        {
            // What a load balancer in front might send: no error document at all.
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body>{status}</body></html>");
            return;
        }
        XNamespace ns = Namespace;
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ns + "ErrorResponse",
                new XElement(ns + "Error",
                    new XElement(ns + "Type", status >= 500 ? "Receiver" : "Sender"),
                    new XElement(ns + "Code", code),
                    new XElement(ns + "Message", message)),
                new XElement(ns + "RequestId", $"req-{code}")));
        await Write(context, status, document);
    }

    private static async Task Write(HttpContext context, int status, XDocument document)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString();
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true }))
        {
            await document.SaveAsync(writer, context.RequestAborted);
        }
        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    [GeneratedRegex("^/2020-05-31/distribution/(?<distribution>[A-Za-z0-9]+)/invalidation(?:/(?<invalidation>[A-Za-z0-9]+))?$")]
    private static partial Regex Route();
}
