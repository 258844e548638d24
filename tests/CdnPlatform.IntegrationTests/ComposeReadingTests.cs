using CdnPlatform.IntegrationTests.Deployment;
using YamlDotNet.RepresentationModel;
using static CdnPlatform.IntegrationTests.Deployment.YamlDocuments;

namespace CdnPlatform.IntegrationTests;

/// <summary>The reading DockerComposeTests rely on does what Compose does with anchors, merge keys and variables.</summary>
public sealed class ComposeReadingTests
{
    [Fact]
    public void MergeKeys_AreShallow_TheMappingsOwnKeysWin_AndAnEarlierMergeWinsOverALater()
    {
        var root = YamlDocuments.Load("""
            x-a: &a { image: a, restart: always, environment: { A: "1", B: "1" } }
            x-b: &b { image: b, healthcheck: { test: ["CMD", "true"] } }
            services:
              one: { <<: [*a, *b], environment: { B: "2" } }
              two:
                <<: *b
                <<<: not-a-merge
            """).Single();

        var one = At(At(root, "services"), "one");
        Assert.Equal("a", Text(At(one, "image")));
        Assert.Equal("always", Text(At(one, "restart")));
        Assert.NotNull(At(one, "healthcheck"));
        // The whole environment is the service's own: Compose does not merge inside it.
        Assert.Equal(["B"], Keys(At(one, "environment")));
        Assert.Equal(["<<<", "image", "healthcheck"], Keys(At(At(root, "services"), "two")));
    }

    [Fact]
    public void AKeyGivenTwice_IsRefused()
    {
        Assert.ThrowsAny<Exception>(() => YamlDocuments.Load("services:\n  a: { image: x }\n  a: { image: y }\n"));
    }

    [Theory]
    [InlineData("${SET}", "value")]
    [InlineData("$SET-x", "value-x")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${SET:+other}", "other")]
    [InlineData("${UNSET:+other}", "")]
    [InlineData("${SET:?needed}", "value")]
    public void Variables_AreSubstitutedAsComposeDoes(string written, string expected)
    {
        var interpolation = new ComposeInterpolation(new Dictionary<string, string> { ["SET"] = "value", ["EMPTY"] = "" });

        Assert.Equal(expected, interpolation.Apply(written));
    }

    [Theory]
    [InlineData("${UNSET:?set UNSET}")]
    [InlineData("${EMPTY:?set EMPTY}")]
    [InlineData("${UNSET?set UNSET}")]
    public void ARequiredVariable_WithoutAValue_RefusesTheFile(string written)
    {
        var interpolation = new ComposeInterpolation(new Dictionary<string, string> { ["EMPTY"] = "" });

        var refusal = Assert.Throws<InvalidOperationException>(() => interpolation.Apply(written));
        Assert.Contains("set ", refusal.Message);
    }

    [Fact]
    public void SubstitutionReachesScalarsInsideMappingsAndLists_NotKeys()
    {
        var interpolation = new ComposeInterpolation(new Dictionary<string, string> { ["V"] = "x" });

        var node = interpolation.Apply(YamlDocuments.Load("${V}: [\"a-${V}\", { k: \"${V}\" }]").Single());

        Assert.Equal(["${V}"], Keys(node));
        Assert.Equal(["a-x", "x"], Items(At(node, "${V}")).Select(i => i is YamlMappingNode ? Text(At(i, "k")) : Text(i)));
    }
}
