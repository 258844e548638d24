using System.Net;
using System.Text;
using System.Text.Json;
using CdnPlatform.Edge.Observability;

namespace CdnPlatform.Edge.Tests;

/// <summary>The access log's hand-written JSON: valid whatever the path holds, and the same values back when parsed.</summary>
public sealed class AccessLogLineFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 18, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void A_line_parses_back_to_its_values_and_ends_with_one_newline()
    {
        var entry = new AccessLogEntry(At.AddTicks(4_567), "shop", "GET", "/products/42", 200, 1024, CacheOutcome.Hit, null,
            TimeSpan.FromTicks(34_127), IPAddress.Parse("203.0.113.7"));

        var (text, line) = Format(new AccessLogLineFormatter("ams"), entry);

        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.StartsWith("{\"time\":\"2026-12-06T18:30:00.123Z\",\"pop\":\"ams\",", text, StringComparison.Ordinal);
        Assert.Equal("shop", line.GetProperty("site").GetString());
        Assert.Equal("GET", line.GetProperty("method").GetString());
        Assert.Equal("/products/42", line.GetProperty("path").GetString());
        Assert.Equal(200, line.GetProperty("status").GetInt32());
        Assert.Equal(1024, line.GetProperty("bytes").GetInt64());
        Assert.Equal("hit", line.GetProperty("cache").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("originMs").ValueKind);
        Assert.Contains("\"totalMs\":3.412,", text, StringComparison.Ordinal);
        Assert.Equal("203.0.113.7", line.GetProperty("client").GetString());
    }

    [Fact]
    public void Each_client_is_its_own_address_whether_one_object_repeats_or_equal_addresses_alternate()
    {
        var formatter = new AccessLogLineFormatter("ams");
        IPAddress[] clients = [IPAddress.Parse("203.0.113.7"), IPAddress.Parse("2001:db8::7"), IPAddress.Parse("203.0.113.7"),
            IPAddress.Parse("198.51.100.1"), IPAddress.IPv6Loopback];
        foreach (var client in clients.Concat(clients).Concat(clients.Reverse()))
        {
            var entry = new AccessLogEntry(At, "shop", "GET", "/", 200, 0, CacheOutcome.Hit, null, TimeSpan.Zero, client);
            Assert.Equal(client.ToString(), Format(formatter, entry).Line.GetProperty("client").GetString());
            Assert.Equal(client.ToString(), Format(formatter, entry).Line.GetProperty("client").GetString());
        }
    }

    [Fact]
    public void Missing_values_are_null_and_an_ipv6_client_keeps_its_zone()
    {
        var entry = new AccessLogEntry(At, "shop", "POST", "/cart", 502, null, CacheOutcome.Pass, TimeSpan.FromMilliseconds(1234.5678),
            TimeSpan.FromMilliseconds(1300), IPAddress.Parse("fe80::1%2"));

        var (text, line) = Format(new AccessLogLineFormatter("ams"), entry);

        Assert.Equal(JsonValueKind.Null, line.GetProperty("bytes").ValueKind);
        Assert.Contains("\"originMs\":1234.567,", text, StringComparison.Ordinal);
        Assert.Equal("pass", line.GetProperty("cache").GetString());
        Assert.Equal("fe80::1%2", line.GetProperty("client").GetString());

        var anonymous = Format(new AccessLogLineFormatter("ams"), entry with { Client = null }).Line;
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("client").ValueKind);
    }

    [Theory]
    [InlineData("/a\"quote")]
    [InlineData("/back\\slash")]
    [InlineData("/line\nbreak\r\t")]
    [InlineData("/control\u0001\u001f")]
    [InlineData("/caf\u00e9/\u65e5\u672c/\U0001F6D2")]
    [InlineData("/<script>&'+")]
    public void Any_path_comes_back_as_it_was(string path)
    {
        var entry = new AccessLogEntry(At, "shop", "GET", path, 200, 0, CacheOutcome.Miss, null, TimeSpan.Zero, null);

        var (text, line) = Format(new AccessLogLineFormatter("ams"), entry);

        Assert.Equal(path, line.GetProperty("path").GetString());
        Assert.Equal(1, text.Count(c => c == '\n'));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        var entry = new AccessLogEntry(At, "shop", "GET", "/x\ud800y", 200, 0, CacheOutcome.Miss, null, TimeSpan.Zero, null);

        Assert.Equal("/x\ufffdy", Format(new AccessLogLineFormatter("ams"), entry).Line.GetProperty("path").GetString());
    }

    [Fact]
    public void A_pop_or_site_that_needs_escaping_is_escaped()
    {
        var entry = new AccessLogEntry(At, "s\"ite", "GET", "/", 200, 0, CacheOutcome.Miss, null, TimeSpan.Zero, null);

        var line = Format(new AccessLogLineFormatter("p\\op"), entry).Line;

        Assert.Equal("p\\op", line.GetProperty("pop").GetString());
        Assert.Equal("s\"ite", line.GetProperty("site").GetString());
    }

    [Fact]
    public void Sites_and_methods_kept_from_earlier_lines_stay_right_however_they_alternate()
    {
        var formatter = new AccessLogLineFormatter("ams");
        // Beyond the 64 kept: unknown methods are new strings on every request.
        var methods = Enumerable.Range(0, 100).Select(i => new string('M', 1) + i).ToList();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < methods.Count; i++)
            {
                var site = i % 2 == 0 ? "shop" : "blog\u00e9\"";
                var line = Format(formatter, new AccessLogEntry(At, site, methods[i], "/", 200, 0, CacheOutcome.Hit, null, TimeSpan.Zero, null)).Line;
                Assert.Equal(site, line.GetProperty("site").GetString());
                Assert.Equal(methods[i], line.GetProperty("method").GetString());
            }
        }
    }

    [Fact]
    public void The_worst_case_path_fits_the_room_the_formatter_asks_for()
    {
        var path = new string('\u0001', 5000) + new string('\uffff', 5000);
        var entry = new AccessLogEntry(DateTimeOffset.MaxValue, "shop", "PROPFIND", path, 599, long.MaxValue, CacheOutcome.Generated,
            TimeSpan.MaxValue, TimeSpan.MaxValue, IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%4294967295"));
        var formatter = new AccessLogLineFormatter("ams");

        // Exactly the room asked for: a formatter that needed more would throw here.
        var (_, line) = Format(formatter, entry);

        Assert.Equal(path, line.GetProperty("path").GetString());
    }

    [Fact]
    public void The_second_changes_between_lines_of_one_formatter()
    {
        var formatter = new AccessLogLineFormatter("ams");
        var entry = new AccessLogEntry(At, "shop", "GET", "/", 200, 0, CacheOutcome.Hit, null, TimeSpan.Zero, null);

        Assert.Equal(At, Format(formatter, entry).Line.GetProperty("time").GetDateTimeOffset());
        Assert.Equal(At.AddSeconds(61), Format(formatter, entry with { Time = At.AddSeconds(61) }).Line.GetProperty("time").GetDateTimeOffset());
        Assert.Equal(At.AddDays(-1), Format(formatter, entry with { Time = At.AddDays(-1) }).Line.GetProperty("time").GetDateTimeOffset());
    }

    private static (string Text, JsonElement Line) Format(AccessLogLineFormatter formatter, AccessLogEntry entry)
    {
        var bytes = new byte[formatter.MaxLength(entry)];
        var text = Encoding.UTF8.GetString(bytes, 0, formatter.Format(bytes, entry));
        return (text, JsonDocument.Parse(text).RootElement);
    }
}
