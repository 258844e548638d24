using System.Net.Http;
using System.Net.Sockets;
using CdnPlatform.OriginGateway.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.OriginGateway.Tests;

/// <summary>How YARP's errors and SocketsHttpHandler's exceptions read as attempt failures.</summary>
public sealed class AttemptFailuresTests
{
    public static TheoryData<ForwarderError, Exception?, AttemptFailure> Cases => new()
    {
        { ForwarderError.None, null, AttemptFailure.None },
        // What SocketsHttpHandler throws for a refused connection, a ConnectTimeout, an unknown host name.
        { ForwarderError.Request, Refused(), AttemptFailure.NotConnected },
        { ForwarderError.RequestTimedOut, new TaskCanceledException("canceled", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")), AttemptFailure.NotConnected },
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), AttemptFailure.NotConnected },
        // The request went out; the node reset, closed, or said nothing within the activity timeout.
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), AttemptFailure.NoResponse },
        { ForwarderError.Request, new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))), AttemptFailure.NoResponse },
        { ForwarderError.RequestTimedOut, new TaskCanceledException("activity timeout"), AttemptFailure.NoResponse },
        { ForwarderError.RequestBodyDestination, new IOException("broken pipe"), AttemptFailure.NoResponse },
        { ForwarderError.ResponseHeaders, new InvalidOperationException("bad header"), AttemptFailure.NoResponse },
        { ForwarderError.ResponseBodyDestination, new IOException("reset"), AttemptFailure.ResponseBroken },
        // The visitor's side.
        { ForwarderError.RequestCanceled, new TaskCanceledException(), AttemptFailure.VisitorGone },
        { ForwarderError.RequestBodyClient, new IOException("client reset"), AttemptFailure.VisitorGone },
        { ForwarderError.ResponseBodyClient, new IOException("client reset"), AttemptFailure.VisitorGone },
        { ForwarderError.ResponseBodyCanceled, new TaskCanceledException(), AttemptFailure.VisitorGone },
        { ForwarderError.NoAvailableDestinations, null, AttemptFailure.Other },
        { ForwarderError.RequestCreation, new InvalidOperationException(), AttemptFailure.Other },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify(ForwarderError error, Exception? exception, AttemptFailure expected)
    {
        Assert.Equal(expected, AttemptFailures.Classify(error, exception));
    }

    [Fact]
    public async Task Classify_ARealRefusedConnection_IsNotConnected()
    {
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        var port = CdnPlatform.Testing.FreePort.OnLoopback();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"), CancellationToken.None));

        Assert.Equal(AttemptFailure.NotConnected, AttemptFailures.Classify(ForwarderError.Request, refused));
    }

    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused));
}
