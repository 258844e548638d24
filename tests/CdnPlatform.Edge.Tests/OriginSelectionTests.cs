using System.Net.Sockets;
using CdnPlatform.Edge.Configuration;
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

    // An origin group: the primary's gateways a1, a2, then the failover origin's b1, b2.
    private static readonly OriginGroup Group = new(["a1", "a2", "b1", "b2"], FailoverAt: 2);

    [Theory]
    // First attempt: the primary first; its addresses all failed lately, the failover origin; everything did, a1 anyway.
    [InlineData("", "", null, true, "a1")]
    [InlineData("a1,a2", "", null, false, "b1")]
    [InlineData("a1,a2,b1,b2", "", null, true, "a1")]
    // Nothing was sent: any method goes through the primary's addresses, then the failover origin's.
    [InlineData("", "a1", OriginFailure.Unreached, false, "a2")]
    [InlineData("", "a1,a2", OriginFailure.Unreached, false, "b1")]
    [InlineData("", "a1,a2,b1", OriginFailure.Unreached, false, "b2")]
    [InlineData("", "a1,a2,b1,b2", OriginFailure.Unreached, false, null)]
    // Sent without an answer: the failover origin only for a request that may be repeated.
    [InlineData("", "a1,a2", OriginFailure.NoResponse, true, "b1")]
    [InlineData("", "a1,a2", OriginFailure.NoResponse, false, null)]
    [InlineData("", "a1,a2,b1", OriginFailure.NoResponse, true, "b2")]
    // A failover status from the primary: straight to the failover origin (not a2), repeatable requests only.
    [InlineData("", "a1", OriginFailure.FailoverStatus, true, "b1")]
    [InlineData("b1", "a1", OriginFailure.FailoverStatus, true, "b2")]
    [InlineData("b1,b2", "a1", OriginFailure.FailoverStatus, true, "b1")]
    [InlineData("", "a1", OriginFailure.FailoverStatus, false, null)]
    [InlineData("a1", "a2", OriginFailure.FailoverStatus, true, "b1")]
    // A failover status from the failover origin is the visitor's answer: nothing after it.
    [InlineData("", "a1,b1", OriginFailure.FailoverStatus, true, null)]
    [InlineData("a1,a2", "b1", OriginFailure.FailoverStatus, true, null)]
    // At the failover origin a fetch never goes back to the primary: its other address, then nothing.
    [InlineData("", "a1,b1", OriginFailure.Unreached, true, "b2")]
    [InlineData("", "a1,b1,b2", OriginFailure.Unreached, true, null)]
    [InlineData("a1,a2", "b1", OriginFailure.Unreached, false, "b2")]
    [InlineData("a1,a2", "b1,b2", OriginFailure.NoResponse, true, null)]
    // The origin answered and the failure came later, or the visitor left: never, wherever it was.
    [InlineData("", "a1", OriginFailure.Other, true, null)]
    [InlineData("", "a1,a2,b1", OriginFailure.Other, true, null)]
    public void Next_InAnOriginGroup(string recentlyFailed, string tried, OriginFailure? failure, bool idempotent, string? expected)
    {
        var failed = Split(recentlyFailed);
        Assert.Equal(expected, OriginSelection.Next(Group, failed.Contains, Split(tried), failure, idempotent));
    }

    [Fact]
    public void Next_AfterAFailoverStatus_WithoutAFailoverOrigin_GivesUp()
    {
        Assert.Null(OriginSelection.Next(Pair, _ => false, ["a"], OriginFailure.FailoverStatus, idempotent: true));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("get", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("PATCH", false)]
    public void MayRepeat(string method, bool expected)
    {
        Assert.Equal(expected, OriginSelection.MayRepeat(method));
    }

    [Theory]
    [InlineData(502, "", OriginFailure.FailoverStatus)]
    [InlineData(503, "", OriginFailure.FailoverStatus)]
    [InlineData(504, "", OriginFailure.FailoverStatus)]
    [InlineData(500, "", null)]
    [InlineData(404, "", null)]
    [InlineData(200, "", null)]
    [InlineData(500, "500,404", OriginFailure.FailoverStatus)]
    [InlineData(404, "500,404", OriginFailure.FailoverStatus)]
    [InlineData(503, "500,404", null)]
    public void ClassifyAnswer(int status, string statuses, OriginFailure? expected)
    {
        IReadOnlySet<int> set = statuses.Length == 0 ? SiteOptions.DefaultFailoverStatuses.ToHashSet() : Split(statuses).Select(int.Parse).ToHashSet();
        Assert.Equal(expected, OriginSelection.ClassifyAnswer(status, set));
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
