using System.Net.Sockets;
using CdnPlatform.Edge.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace CdnPlatform.Edge.Tests;

/// <summary>Which origin address a fetch tries first and next: the addresses, recent failures, this fetch's tries, the failure.</summary>
public sealed class OriginSelectionTests
{
    private static readonly OriginGroup Pair = new(["a", "b"]);

    [Theory]
    // First attempt: the first address that has not failed lately; all failed lately, the first anyway.
    [InlineData("", "", null, true, "a")]
    [InlineData("a", "", null, true, "b")]
    [InlineData("a,b", "", null, true, "a")]
    [InlineData("b", "", null, false, "a")]
    // Nothing was sent: any method goes on to the next address.
    [InlineData("", "a", OriginFailure.Unreached, true, "b")]
    [InlineData("", "a", OriginFailure.Unreached, false, "b")]
    // Sent without an answer: only a request that may be repeated.
    [InlineData("", "a", OriginFailure.NoResponse, true, "b")]
    [InlineData("", "a", OriginFailure.NoResponse, false, null)]
    // The origin answered, or the visitor left: never.
    [InlineData("", "a", OriginFailure.Other, true, null)]
    // Started on the second (the first failed lately), which failed too: the first gets its try.
    [InlineData("a", "b", OriginFailure.Unreached, true, "a")]
    // Every address tried.
    [InlineData("", "a,b", OriginFailure.Unreached, true, null)]
    public void Next(string recentlyFailed, string tried, OriginFailure? failure, bool idempotent, string? expected)
    {
        var failed = Split(recentlyFailed);
        Assert.Equal(expected, OriginSelection.Next(Pair, failed.Contains, Split(tried), failure, idempotent));
    }

    [Fact]
    public void Next_WithOneAddress_GivesUpAfterIt()
    {
        Assert.Equal("a", OriginSelection.Next(new OriginGroup(["a"]), _ => true, [], null, idempotent: true));
        Assert.Null(OriginSelection.Next(new OriginGroup(["a"]), _ => true, ["a"], OriginFailure.Unreached, idempotent: true));
    }

    public static TheoryData<ForwarderError, Exception?, bool, OriginFailure> Failures => new()
    {
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), false, OriginFailure.Unreached },
        { ForwarderError.RequestTimedOut, new TaskCanceledException("canceled", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")), false, OriginFailure.Unreached },
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), false, OriginFailure.Unreached },
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), false, OriginFailure.NoResponse },
        { ForwarderError.RequestTimedOut, new TaskCanceledException("activity timeout"), false, OriginFailure.NoResponse },
        { ForwarderError.RequestBodyDestination, new IOException("broken pipe"), false, OriginFailure.NoResponse },
        { ForwarderError.RequestCanceled, new TaskCanceledException(), false, OriginFailure.Other },
        { ForwarderError.RequestBodyClient, new IOException("visitor reset"), false, OriginFailure.Other },
        { ForwarderError.RequestCreation, new InvalidOperationException(), false, OriginFailure.Other },
        // Once the response headers were in, the response belongs to the visitor.
        { ForwarderError.ResponseBodyDestination, new IOException("reset"), true, OriginFailure.Other },
        { ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "refused"), true, OriginFailure.Other },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classify(ForwarderError error, Exception? exception, bool answered, OriginFailure expected)
    {
        Assert.Equal(expected, OriginSelection.Classify(error, exception, answered));
    }

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split(',');
}
