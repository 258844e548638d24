using System.Net;
using ARSoft.Tools.Net.Dns;
using CdnPlatform.Dns.Answering;
using Microsoft.Extensions.Logging;

namespace CdnPlatform.Dns.Hosting;

/// <summary>
/// The server on UDP and TCP at one address and port, on ARSoft.Tools.Net's server (message codec, transports,
/// truncation to the client's UDP size with TC set, so the client asks again over TCP). A query it cannot parse
/// never reaches <see cref="AuthoritativeAnswerer"/>; one that makes it throw gets SERVFAIL, never a crash. The
/// answerer is told where each query came from, for names answered per client.
/// </summary>
public sealed class AuthoritativeDnsServer : IDisposable
{
    private const int TransportTimeoutMilliseconds = 5000;

    // How long a TCP connection waits for its (next) query. Not 0: ARSoft reads the first query with this timeout
    // too, and 0 gives up at once when the query's bytes arrive a moment after the connection, unanswered.
    private const int TcpIdleMilliseconds = 5000;

    private readonly DnsServer _server;
    private readonly AuthoritativeAnswerer _answerer;
    private readonly ILogger _logger;

    public AuthoritativeDnsServer(IPEndPoint endpoint, AuthoritativeAnswerer answerer, ILogger logger)
    {
        Endpoint = endpoint;
        _answerer = answerer;
        _logger = logger;
        _server = new DnsServer(
            new ClientSubnetGate(new ShortPacketFilter(new UdpServerTransport(endpoint, TransportTimeoutMilliseconds))),
            new ClientSubnetGate(new TcpServerTransport(endpoint, TransportTimeoutMilliseconds, TcpIdleMilliseconds)));
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            _logger.LogDebug("DNS transport: {Reason}", e.Exception.Message);
            return Task.CompletedTask;
        };
    }

    public IPEndPoint Endpoint { get; }

    public void Start() => _server.Start();

    /// <summary>
    /// Told of every query answered, with the question's type (null without a question) and the answer's code: what
    /// a host counts (the control plane's <c>cdn_control_dns_queries_total</c>). Packets dropped before answering are not.
    /// </summary>
    public Action<RecordType?, ReturnCode>? Answered { get; init; }

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }
        try
        {
            var source = e.RemoteEndpoint.Address;
            e.Response = _answerer.Answer(query, source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Answering {Question} failed", query.Questions.FirstOrDefault());
            var failure = query.CreateResponseInstance();
            failure.ReturnCode = ReturnCode.ServerFailure;
            e.Response = failure;
        }
        Answered?.Invoke(query.Questions.Count > 0 ? query.Questions[0].RecordType : null, (e.Response as DnsMessage)?.ReturnCode ?? ReturnCode.ServerFailure);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server.Stop();
        (_server as IDisposable)?.Dispose();
    }
}
