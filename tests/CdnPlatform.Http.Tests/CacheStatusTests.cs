using CdnPlatform.Http.Headers;

namespace CdnPlatform.Http.Tests;

/// <summary>RFC 9211 Cache-Status member serialization.</summary>
public sealed class CacheStatusTests
{
    [Fact]
    public void ForHit_SerializesHitAndTtl()
    {
        Assert.Equal("CdnPlatform; hit; ttl=42", CacheStatus.ForHit(TimeSpan.FromSeconds(42)).ToString());
    }

    [Fact]
    public void Ttl_Negative_IsSerializedForStaleResponses()
    {
        Assert.Equal("CdnPlatform; hit; ttl=-30", CacheStatus.ForHit(TimeSpan.FromSeconds(-30)).ToString());
    }

    [Theory]
    [InlineData(42.9, "ttl=42")]
    [InlineData(0.5, "ttl=0")]
    [InlineData(-0.5, "ttl=-1")]
    [InlineData(-29.1, "ttl=-30")]
    public void Ttl_FractionalSeconds_AreFlooredToAnInteger(double seconds, string expected)
    {
        Assert.EndsWith(expected, CacheStatus.ForHit(TimeSpan.FromSeconds(seconds)).ToString());
    }

    [Theory]
    [InlineData(ForwardReason.Bypass, "bypass")]
    [InlineData(ForwardReason.Method, "method")]
    [InlineData(ForwardReason.UriMiss, "uri-miss")]
    [InlineData(ForwardReason.VaryMiss, "vary-miss")]
    [InlineData(ForwardReason.Miss, "miss")]
    [InlineData(ForwardReason.Request, "request")]
    [InlineData(ForwardReason.Stale, "stale")]
    [InlineData(ForwardReason.Partial, "partial")]
    public void ForForward_SerializesRfc9211FwdToken(ForwardReason reason, string token)
    {
        Assert.Equal($"CdnPlatform; fwd={token}", CacheStatus.ForForward(reason).ToString());
    }

    [Fact]
    public void EveryForwardReason_HasAToken()
    {
        Assert.All(Enum.GetValues<ForwardReason>(), r => Assert.Matches("^[a-z][a-z-]*$", r.ToToken()));
    }

    [Fact]
    public void ToToken_UndefinedReason_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ForwardReason)999).ToToken());
    }

    [Fact]
    public void Forward_WithStatusAndStored_SerializesAllParameters()
    {
        var status = CacheStatus.ForForward(ForwardReason.Miss) with { ForwardStatus = 200, Stored = true };

        Assert.Equal("CdnPlatform; fwd=miss; fwd-status=200; stored", status.ToString());
    }

    [Fact]
    public void Collapsed_IsSerialized()
    {
        var status = CacheStatus.ForForward(ForwardReason.UriMiss) with { Collapsed = true };

        Assert.Equal("CdnPlatform; fwd=uri-miss; collapsed", status.ToString());
    }

    [Fact]
    public void Detail_IsSerializedAsQuotedString()
    {
        var status = CacheStatus.ForForward(ForwardReason.Miss) with { Detail = "origin unreachable" };

        Assert.Equal("CdnPlatform; fwd=miss; detail=\"origin unreachable\"", status.ToString());
    }

    [Fact]
    public void Detail_QuotesAndBackslashes_AreEscaped()
    {
        var status = new CacheStatus { CacheName = "edge", Detail = "say \"hi\" \\o/" };

        Assert.Equal("edge; detail=\"say \\\"hi\\\" \\\\o/\"", status.ToString());
    }

    [Fact]
    public void NoCacheName_FallsBackToDefaultName()
    {
        Assert.Equal("CdnPlatform", default(CacheStatus).ToString());
    }

    [Fact]
    public void CustomCacheName_IsTheListMember()
    {
        Assert.Equal("edge-fra1; hit", new CacheStatus { CacheName = "edge-fra1", Hit = true }.ToString());
    }

    [Fact]
    public void Detail_WithCharactersOutsideVcharAndSpace_IsNeverSerializedRaw()
    {
        var status = CacheStatus.ForForward(ForwardReason.Miss) with { Detail = "bad\r\nSet-Cookie: x=1; caf\u00e9" };

        string serialized;
        try
        {
            serialized = status.ToString();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return; // refusing to serialize is what RFC 8941 asks for
        }
        Assert.All(serialized, c => Assert.InRange(c, ' ', '~'));
    }
}
