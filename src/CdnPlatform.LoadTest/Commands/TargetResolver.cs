using System.Net;
using CdnPlatform.Control.Api;
using CdnPlatform.Client;
using CdnPlatform.LoadTest.Running;
using CdnPlatform.LoadTest.Workload;
using DnsClient;

namespace CdnPlatform.LoadTest.Commands;

/// <summary>
/// Where the load goes: the <c>--target</c>s as given (<c>URL</c> or <c>NAME=URL</c>), or the POPs the project's DNS answers for
/// the site (<c>--dns SERVER:PORT</c>), or every edge the control plane lists (<c>GET /v1/status</c>) when neither is given.
/// </summary>
public static class TargetResolver
{
    /// <exception cref="ArgumentException">A target that is not an http URL.</exception>
    public static IReadOnlyList<PopTarget> Explicit(IReadOnlyList<string> targets)
    {
        var list = new List<PopTarget>();
        foreach (var target in targets)
        {
            var equals = target.IndexOf('=');
            var hasName = equals > 0 && !target[..equals].Contains(':');
            var name = hasName ? target[..equals] : null;
            var url = hasName ? target[(equals + 1)..] : target;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new ArgumentException($"--target '{target}' is not an edge's address like http://127.0.10.1:8080 (or ams=http://127.0.10.1:8080)");
            }
            list.Add(new PopTarget(name ?? $"pop{list.Count + 1}", uri));
        }
        var duplicate = list.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? list : throw new ArgumentException($"--target: two targets are named {duplicate.Key}");
    }

    /// <summary>The site's A records from <paramref name="server"/>, each a POP on <paramref name="port"/> named <c>pop1-ADDRESS</c>…: the addresses this client is sent to, as a visitor here would be.</summary>
    /// <exception cref="TargetUnreachableException">The server gives no address for the site.</exception>
    public static async Task<IReadOnlyList<PopTarget>> FromDnsAsync(string server, string site, int port, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(server, out var endpoint))
        {
            throw new ArgumentException($"--dns '{server}' is not an address like 127.0.0.1:8053");
        }
        if (endpoint.Port == 0)
        {
            endpoint.Port = 53;
        }
        var client = new LookupClient(new LookupClientOptions(endpoint) { UseCache = false, Recursion = false, Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        IDnsQueryResponse answer;
        try
        {
            answer = await client.QueryAsync(site, QueryType.A, cancellationToken: cancellationToken);
        }
        catch (DnsResponseException e)
        {
            throw new TargetUnreachableException($"the DNS server {endpoint} does not answer for {site}: {e.Message}");
        }
        var addresses = answer.Answers.ARecords().Select(a => a.Address).ToList();
        if (addresses.Count == 0)
        {
            throw new TargetUnreachableException($"the DNS server {endpoint} has no address for {site} ({answer.Header.ResponseCode})");
        }
        return [.. addresses.Select((a, i) => new PopTarget($"pop{i + 1}-{a}", new Uri($"http://{a}:{port}/")))];
    }

    /// <summary>Every edge in the control plane's <c>GET /v1/status</c>, by its POP name.</summary>
    /// <exception cref="TargetUnreachableException">The control plane cannot be asked.</exception>
    public static async Task<IReadOnlyList<PopTarget>> FromControlPlaneAsync(HttpClient control, CancellationToken cancellationToken)
    {
        NetworkStatus status;
        try
        {
            status = await ControlApiCalls.SendAsync(control, new HttpRequestMessage(HttpMethod.Get, "/v1/status"), ControlJsonContext.Default.NetworkStatus, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or ControlApiException or TaskCanceledException)
        {
            throw new TargetUnreachableException($"no --target given, and the control plane at {control.BaseAddress} cannot list the edges: {e.Message}");
        }
        if (status.Edges.Count == 0)
        {
            throw new TargetUnreachableException($"no --target given, and the control plane at {control.BaseAddress} lists no edge");
        }
        return [.. status.Edges.Select(e => new PopTarget(e.Name, new Uri(e.Url.TrimEnd('/') + "/")))];
    }
}
