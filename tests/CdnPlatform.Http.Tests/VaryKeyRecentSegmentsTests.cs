using CdnPlatform.Http.Vary;
using CdnPlatform.Testing;
using Microsoft.Extensions.Primitives;

namespace CdnPlatform.Http.Tests;

/// <summary>
/// VaryKey keeps each thread's last key segments by raw field line, so a repeated line skips normalising. These tests
/// hold it to saying exactly what normalising afresh says, whatever this thread has seen before.
/// </summary>
public sealed class VaryKeyRecentSegmentsTests
{
    /// <summary>A Vary, a request's selecting fields, and the key written out by hand (what the key was before the cache).</summary>
    private sealed record Case(string Vary, (string Name, StringValues Lines)[] Request, string Key)
    {
        public VaryFields Fields { get; } = VaryFields.Parse(Vary);

        public StringValues Header(string name) =>
            Request.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Lines;

        public override string ToString() => $"{Vary}: {string.Join("; ", Request.Select(f => $"{f.Name}={string.Join("|", f.Lines.Select(l => l ?? "<null>"))}"))}";
    }

    private static readonly string Long300 = new('a', 300);
    private static readonly string Long600 = new('a', 600);

    // Some share a raw line under different names or Vary sets, some a normalised value under different lines.
    private static readonly Case[] Cases =
    [
        new("Accept-Encoding", [], "15:accept-encoding!"),
        new("Accept-Encoding", [("Accept-Encoding", "")], "15:accept-encoding=0:"),
        new("Accept-Encoding", [("Accept-Encoding", "gzip, br")], "15:accept-encoding=7:br,gzip"),
        new("Accept-Encoding", [("Accept-Encoding", "GZIP,BR")], "15:accept-encoding=7:br,gzip"),
        new("Accept-Encoding", [("Accept-Encoding", " br ,gzip ")], "15:accept-encoding=7:br,gzip"),
        new("Accept-Encoding", [("Accept-Encoding", new StringValues(["gzip", "br"]))], "15:accept-encoding=7:br,gzip"),
        new("Accept-Encoding", [("Accept-Encoding", "gzip;q=0.5")], "15:accept-encoding=10:gzip;q=0.5"),
        new("Accept-Encoding", [("Accept-Encoding", "x-gzip")], "15:accept-encoding=4:gzip"),
        new("Accept-Encoding", [("Accept-Encoding", "B, a")], "15:accept-encoding=3:a,b"),
        new("Foo", [("Foo", "B, a")], "3:foo=3:B,a"),
        new("Foo", [("Foo", "b, a")], "3:foo=3:b,a"),
        new("Foo", [("Foo", new StringValues(new string?[] { null }))], "3:foo=0:"),
        new("Foo", [], "3:foo!"),
        new("Accept-Language", [("Accept-Language", "en, DE")], "15:accept-language=5:en,de"),
        new("Accept-Encoding, Foo", [("Accept-Encoding", "gzip")], "15:accept-encoding=4:gzip3:foo!"),
        new("Foo, Bar", [("Foo", "x"), ("Bar", "x")], "3:foo=1:x3:bar=1:x"),
        new("Foo, Bar", [("Foo", "x")], "3:foo=1:x3:bar!"),
        new("Foo", [("Foo", Long300)], $"3:foo=300:{Long300}"),
        new("Foo", [("Foo", Long600)], $"3:foo=600:{Long600}"),
        new("Foo", [("Foo", new StringValues([Long300, Long300]))], $"3:foo=601:{Long300},{Long300}"),
    ];

    private static bool Matches(VaryFields fields, string variantKey, Case request) =>
        VaryKey.Matches(fields, variantKey, request, static (name, c) => c.Header(name));

    [Fact]
    public void Compute_RepeatedAndInterleavedRequests_GivesTheKeyWrittenOut()
    {
        // Three passes, forwards, backwards, forwards: later passes find the lines kept by earlier ones, or lost
        // to the ones seen in between.
        foreach (var c in Cases.Concat(Cases.Reverse()).Concat(Cases))
        {
            Assert.True(c.Key == VaryKey.Compute(c.Fields, c.Header), c.ToString());
        }
    }

    [Fact]
    public void Matches_EveryRequestAgainstEveryVariant_AgreesWithTheKeysWrittenOut()
    {
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var stored in Cases)
            {
                foreach (var asked in Cases.Where(a => a.Vary == stored.Vary))
                {
                    Assert.True(Matches(stored.Fields, stored.Key, asked) == (asked.Key == stored.Key), $"{asked} against {stored.Key}");
                }
            }
        }
    }

    [Fact]
    public void Matches_SameLineUnderAnotherName_IsNormalisedForThatName()
    {
        // Foo keeps case and order; Accept-Encoding lowercases and sorts: one line, two segments.
        var foo = VaryFields.Parse("Foo");
        var encoding = VaryFields.Parse("Accept-Encoding");
        var line = "B, a";

        Assert.True(VaryKey.Matches(foo, "3:foo=3:B,a", line, static (_, l) => l));
        Assert.True(VaryKey.Matches(encoding, "15:accept-encoding=3:a,b", line, static (_, l) => l));
        Assert.False(VaryKey.Matches(foo, "3:foo=3:a,b", line, static (_, l) => l));
        Assert.False(VaryKey.Matches(encoding, "15:accept-encoding=3:B,a", line, static (_, l) => l));
    }

    [Fact]
    public void Matches_MoreDistinctLinesThanTheCacheKeeps_MatchesOnlyTheirOwnVariant()
    {
        // Each line is seen again only after the others have pushed it out, and sometimes as an equal copy
        // rather than the same string: the cache must miss, or hit on content, and never answer for another line.
        var fields = VaryFields.Parse("Accept-Encoding");
        var lines = Enumerable.Range(0, 20).Select(i => $"gzip, br;q=0.5, c{i}").ToArray();
        var variantKeys = lines.Select(line => KeyOnAFreshThread(fields, _ => line)).ToArray();

        for (var round = 0; round < 200; round++)
        {
            var asked = round % lines.Length;
            var line = round % 3 == 0 ? new string(lines[asked].AsSpan()) : lines[asked];
            foreach (var stored in new[] { asked, (asked + 1) % lines.Length, (asked + 7) % lines.Length })
            {
                Assert.Equal(stored == asked, VaryKey.Matches(fields, variantKeys[stored], line, static (_, l) => l));
            }
        }
    }

    [Fact]
    public void Matches_ManyThreadsAtOnce_EachGetsItsOwnAnswers()
    {
        // Threads share lines and names but each rotates through them in its own order.
        var fields = VaryFields.Parse("Accept-Encoding, Accept-Language");
        var encodings = Enumerable.Range(0, 12).Select(i => $"gzip, c{i};q=0.5").ToArray();
        var languages = Enumerable.Range(0, 5).Select(i => $"de, l{i};q=0.8").ToArray();
        var variantKey = KeyOnAFreshThread(fields, name => name == "accept-encoding" ? encodings[0] : languages[0]);
        using var start = new Barrier(4);
        var mismatches = 0;
        var threads = Enumerable.Range(1, 4).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 5000; i++)
            {
                var (e, l) = (i * t % encodings.Length, i / t % languages.Length);
                var request = new Dictionary<string, StringValues> { ["accept-encoding"] = encodings[e], ["accept-language"] = languages[l] };
                if (VaryKey.Matches(fields, variantKey, request, static (name, r) => r[name]) != (e == 0 && l == 0))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Matches_LinesNotKept_AllocateNothing()
    {
        // Several lines and a value too long to keep are written afresh on every call, around an absent field that is kept.
        var fields = VaryFields.Parse("Accept-Encoding, Foo, Bar");
        var headers = new Dictionary<string, StringValues> { ["accept-encoding"] = new(["gzip", "br"]), ["foo"] = Long600, ["bar"] = StringValues.Empty };
        var variantKey = VaryKey.Compute(fields, name => headers[name]);
        Assert.True(VaryKey.Matches(fields, variantKey, headers, static (name, h) => h[name]));

        var allocated = SteadyAllocation.PerCall(() => VaryKey.Matches(fields, variantKey, headers, static (name, h) => h[name]));

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Matches_EveryLineAMiss_AllocatesNothing()
    {
        // More lines in turn than the cache keeps: every call replaces a kept segment in place.
        var fields = VaryFields.Parse("Accept-Encoding");
        var lines = Enumerable.Range(0, 12).Select(i => (StringValues)$"gzip, c{i}").ToArray();
        var variantKey = VaryKey.Compute(fields, _ => lines[0]);
        var next = 0;

        var allocated = SteadyAllocation.PerCall(() => VaryKey.Matches(fields, variantKey, lines[next++ % lines.Length], static (_, l) => l));

        Assert.Equal(0, allocated);
    }

    /// <summary>The key from a thread that has kept nothing: every segment normalised there and then.</summary>
    private static string KeyOnAFreshThread(VaryFields fields, Func<string, StringValues> requestHeader)
    {
        var key = "";
        var thread = new Thread(() => key = VaryKey.Compute(fields, requestHeader));
        thread.Start();
        thread.Join();
        return key;
    }
}
