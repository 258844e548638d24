using System.Text;
using CdnPlatform.LoadTest.Http;

namespace CdnPlatform.LoadTest.Tests.Http;

public sealed class Http1HeadTests
{
    private static Http1Head Parse(string head) => Http1Head.Parse(Encoding.ASCII.GetBytes(head));

    [Fact]
    public void Repeated_Cache_Status_fields_are_one_list_in_order()
    {
        var head = Parse("HTTP/1.1 200 OK\r\ncache-status: origin; fwd=uri-miss\r\nContent-Length: 3\r\nCache-Status: Edge; hit; ttl=30");

        Assert.Equal("origin; fwd=uri-miss, Edge; hit; ttl=30", head.CacheStatus);
        Assert.Equal(3, head.ContentLength);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close", true)]
    [InlineData("HTTP/1.0 200 OK", true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive", false)]
    public void Whether_the_server_closes_follows_the_version_and_Connection(string head, bool close) =>
        Assert.Equal(close, Parse(head).Close);

    [Fact]
    public void Transfer_encoding_chunked_is_seen_among_other_codings()
    {
        Assert.True(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked").Chunked);
        Assert.False(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0").Chunked);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("HTTP/1.1 2x0 OK")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: ten")]
    public void What_is_not_an_HTTP_answer_is_an_IO_error(string head) =>
        Assert.Throws<IOException>(() => Parse(head));
}
