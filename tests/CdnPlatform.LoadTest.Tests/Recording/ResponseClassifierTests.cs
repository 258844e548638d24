using System.Net;
using System.Net.Sockets;
using CdnPlatform.LoadTest.Recording;

namespace CdnPlatform.LoadTest.Tests.Recording;

public sealed class ResponseClassifierTests
{
    [Theory]
    [InlineData("Edge; hit", true)]
    [InlineData("Edge; hit; ttl=12", true)]
    [InlineData("Edge; fwd=miss; stored", false)]
    // The edge nearest the client appends last: an origin-side hit behind an edge miss is not the edge's hit.
    [InlineData("origin-cache; hit, Edge; fwd=miss", false)]
    [InlineData("origin-cache; fwd=miss, Edge; hit", true)]
    [InlineData("Edge; fwd=stale; hit-ish", false)]
    public void A_hit_is_the_last_member_with_a_hit_parameter(string cacheStatus, bool hit) =>
        Assert.Equal(hit, ResponseClassifier.IsHit(cacheStatus));

    [Fact]
    public void No_Cache_Status_is_neither_hit_nor_miss() => Assert.Null(ResponseClassifier.IsHit((string?)null));

    [Theory]
    [InlineData("primary-2", "primary")]
    [InlineData("dr-east-1", "dr-east")]
    [InlineData("single", "single")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_datacenter_is_the_node_name_without_its_number(string? servedBy, string? datacenter) =>
        Assert.Equal(datacenter, ResponseClassifier.DatacenterOf(servedBy));

    [Theory]
    [InlineData(200, null)]
    [InlineData(304, null)]
    [InlineData(404, ErrorKind.Status4xx)]
    [InlineData(503, ErrorKind.Status5xx)]
    public void Statuses_are_errors_from_400(int status, ErrorKind? kind) =>
        Assert.Equal(kind, ResponseClassifier.OfStatus((HttpStatusCode)status));

    [Fact]
    public void A_status_the_journey_expects_is_not_an_error() =>
        Assert.Null(ResponseClassifier.OfStatus(HttpStatusCode.Conflict, code => code == 409));

    [Fact]
    public void Failures_are_sorted_by_what_happened_to_the_socket()
    {
        Assert.Equal(ErrorKind.Timeout, ResponseClassifier.OfException(new TimeoutException()));
        Assert.Equal(ErrorKind.Refused, ResponseClassifier.OfException(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.Equal(ErrorKind.Reset, ResponseClassifier.OfException(new IOException("x", new SocketException((int)SocketError.ConnectionReset))));
        Assert.Equal(ErrorKind.Reset, ResponseClassifier.OfException(new IOException("the connection closed in the answer's head")));
        Assert.Equal(ErrorKind.Other, ResponseClassifier.OfException(new InvalidOperationException()));
        Assert.True(ResponseClassifier.IsTransportFailure(new IOException()));
        Assert.False(ResponseClassifier.IsTransportFailure(new InvalidOperationException()));
    }
}
