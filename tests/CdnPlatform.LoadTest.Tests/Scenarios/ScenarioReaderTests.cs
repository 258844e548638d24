using CdnPlatform.LoadTest.Commands;
using CdnPlatform.LoadTest.Scenarios;

namespace CdnPlatform.LoadTest.Tests.Scenarios;

public sealed class ScenarioReaderTests
{
    [Theory]
    [InlineData("browse")]
    [InlineData("sale-peak")]
    [InlineData("purge-storm")]
    [InlineData("dc-drill")]
    public void EveryBuiltInScenarioReads(string name)
    {
        var scenario = BuiltInScenarios.Resolve(name);
        Assert.Equal(name, scenario.Name);
        Assert.NotEmpty(scenario.Description);
        Assert.True(scenario.Duration > TimeSpan.Zero);
        Assert.Contains(name, BuiltInScenarios.Names);
    }

    [Fact]
    public void TheWarmUpIsOneSecondUnlessTheFileSaysOtherwise()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), ScenarioReader.Read("""{ "rate": 10, "duration": "5s" }""", "test", "w").WarmUp);
        Assert.Equal(TimeSpan.Zero, ScenarioReader.Read("""{ "rate": 10, "duration": "5s", "warmUp": "0s" }""", "test", "w").WarmUp);
        var error = Assert.Throws<ScenarioException>(() => ScenarioReader.Read("""{ "rate": 10, "duration": "5s", "warmUp": 3 }""", "test", "w"));
        Assert.Contains("warmUp", error.Message);
    }

    [Fact]
    public void TheBuiltInsAreWhatTheIssueNames()
    {
        Assert.Equal(["browse", "dc-drill", "purge-storm", "sale-peak"], BuiltInScenarios.Names);
        var sale = BuiltInScenarios.Resolve("sale-peak");
        Assert.Equal(3 * sale.Start, sale.Peak);
        Assert.True(sale.Mix.Shop > 0);
        Assert.NotNull(BuiltInScenarios.Resolve("purge-storm").Purge);
        Assert.NotNull(BuiltInScenarios.Resolve("dc-drill").Drill);
    }

    [Fact]
    public void AFileWithEverythingReadsIntoTheModel()
    {
        var scenario = ScenarioReader.Read("""
            {
              // comments are allowed
              "name": "mine", "description": "d", "model": "closed", "users": 5, "thinkTime": "250ms",
              "stages": [ { "duration": "10s", "target": 20 }, { "duration": "1m", "target": 20 } ],
              "site": "shop.example", "zipf": 0.8, "pages": 40, "mix": { "browse": 3, "shop": 1 },
              "purge": { "every": "1s", "products": 4 }, "drill": { "killAt": "5s", "restartAfter": "20s", "manual": true },
              "thresholds": ["p99 < 50ms"], "connections": 8, "timeout": "2s"
            }
            """, "mine.json", "fallback");
        Assert.Equal(("mine", LoadModel.Closed, 5.0, TimeSpan.FromMilliseconds(250)), (scenario.Name, scenario.Model, scenario.Start, scenario.ThinkTime));
        Assert.Equal([new Stage(TimeSpan.FromSeconds(10), 20), new Stage(TimeSpan.FromMinutes(1), 20)], scenario.Stages);
        Assert.Equal(("shop.example", 0.8, 40, 0.25), (scenario.Site, scenario.Zipf, scenario.Pages, scenario.Mix.ShopShare));
        Assert.Equal(new PurgeStorm(TimeSpan.FromSeconds(1), 4), scenario.Purge);
        Assert.Equal(new DatacenterDrill(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), true), scenario.Drill);
        Assert.Equal((8, TimeSpan.FromSeconds(2)), (scenario.Connections, scenario.Timeout));
        Assert.Equal(TimeSpan.FromSeconds(70), scenario.Duration);
    }

    [Fact]
    public void ADrillKillsTheActiveDatacenter_UnlessItSaysStandby()
    {
        Assert.False(ScenarioReader.Read("""{ "drill": {} }""", "f.json", "f").Drill!.Standby);
        Assert.False(ScenarioReader.Read("""{ "drill": { "kill": "active" } }""", "f.json", "f").Drill!.Standby);
        Assert.Equal(new DatacenterDrill(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15), false, Standby: true),
            ScenarioReader.Read("""{ "drill": { "kill": "standby", "killAt": "3s" } }""", "f.json", "f").Drill);
    }

    [Theory]
    [InlineData(null, DatacenterFault.Kill)]
    [InlineData("kill", DatacenterFault.Kill)]
    [InlineData("pause", DatacenterFault.Pause)]
    [InlineData("pause-redis", DatacenterFault.PauseRedis)]
    public void ADrillKillsItsDatacenter_UnlessItSaysToPauseIt(string? fault, DatacenterFault expected)
    {
        var field = fault is null ? "" : $", \"fault\": \"{fault}\"";
        var drill = ScenarioReader.Read($$"""{ "drill": { "kill": "standby"{{field}} } }""", "f.json", "f").Drill!;
        Assert.Equal(new DatacenterDrill(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), false, Standby: true, expected), drill);
    }

    [Fact]
    public void AFileWithoutStagesHoldsItsRateForItsDuration()
    {
        var scenario = ScenarioReader.Read("""{ "rate": 50, "duration": "20s" }""", "f.json", "f");
        Assert.Equal("f", scenario.Name);
        Assert.Equal(LoadModel.Open, scenario.Model);
        Assert.Equal([new Stage(TimeSpan.FromSeconds(20), 50)], scenario.Stages);
    }

    [Theory]
    [InlineData("""{ "rate": 50, "durration": "20s" }""", "f.json: durration: unknown field")]
    [InlineData("""{ "rate": "fast" }""", "f.json: rate: must be a number")]
    [InlineData("""{ "rate": -1 }""", "f.json: rate: -1 is outside 0–1000000")]
    [InlineData("""{ "model": "half-open" }""", "f.json: model: 'half-open' is neither 'open' nor 'closed'")]
    [InlineData("""{ "model": "closed", "rate": 5 }""", "f.json: rate: belongs to the open model")]
    [InlineData("""{ "stages": [ { "duration": "10x", "target": 5 } ] }""", "f.json: stages[0].duration: '10x' is not a duration")]
    [InlineData("""{ "stages": [ { "duration": "10s" } ] }""", "f.json: stages[0].target: is missing")]
    [InlineData("""{ "stages": [] }""", "f.json: stages: must be a non-empty array")]
    [InlineData("""{ "duration": "5s", "stages": [ { "duration": "10s", "target": 5 } ] }""", "f.json: duration: a scenario has either")]
    [InlineData("""{ "rate": 0 }""", "f.json: stages: the load never rises above 0 rate")]
    [InlineData("""{ "thresholds": ["p99 < soon"] }""", "f.json: thresholds[0]: threshold 'p99 < soon' is not")]
    [InlineData("""{ "mix": { "browse": 0 } }""", "f.json: mix: needs a weight above 0")]
    [InlineData("""{ "purge": { "every": "10ms" } }""", "f.json: purge.every: must be at least 100ms")]
    [InlineData("""{ "drill": { "manual": "yes" } }""", "f.json: drill.manual: must be true or false")]
    [InlineData("""{ "drill": { "kill": "dr" } }""", "f.json: drill.kill: 'dr' is neither 'active' nor 'standby'")]
    [InlineData("""{ "drill": { "fault": "stop" } }""", "f.json: drill.fault: 'stop' is none of 'kill', 'pause', 'pause-redis'")]
    [InlineData("""{ "drill": { "kill": "standby", "manual": true } }""", "f.json: drill.manual: a standby's loss has no failover to ask for")]
    [InlineData("""{ "rate": 5, }x""", "f.json: not valid JSON")]
    [InlineData("""[1, 2]""", "f.json: the scenario must be a JSON object")]
    public void AMalformedFileIsRefusedNamingTheField(string json, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioReader.Read(json, "f.json", "f"));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AnUnknownScenarioListsTheBuiltIns()
    {
        var e = Assert.Throws<ScenarioException>(() => BuiltInScenarios.Resolve("black-friday"));
        Assert.Equal("unknown scenario 'black-friday' (built in: browse, dc-drill, purge-storm, sale-peak; or a path to a .json file)", e.Message);
    }

    [Fact]
    public void RateAndDurationFlagsRescaleTheStages()
    {
        var sale = BuiltInScenarios.Resolve("sale-peak");
        var scaled = RunCommand.Configure(sale, rate: 500, users: null, duration: "30s", site: null, connections: null);
        Assert.Equal(500, scaled.Start);
        Assert.Equal(1500, scaled.Peak, 6);
        Assert.Equal(TimeSpan.FromSeconds(30), scaled.Duration);
        Assert.Equal(sale.Stages.Count, scaled.Stages.Count);
        var drill = RunCommand.Configure(BuiltInScenarios.Resolve("dc-drill"), null, null, "90s", "www.other.test", 8);
        Assert.Equal(TimeSpan.FromSeconds(20), drill.Drill!.KillAt);
        Assert.Equal(("www.other.test", 8), (drill.Site, drill.Connections));
    }

    [Theory]
    [InlineData(5.0, null, null, "--rate must be more than 0", -1.0)]
    [InlineData(null, 4, null, "--users is for a closed model; browse is open: use --rate", null)]
    [InlineData(null, null, "forever", "--duration 'forever' is not a duration", null)]
    public void FlagsThatDoNotFitAreRefused(double? rate, int? users, string? duration, string message, double? overrideRate)
    {
        var e = Assert.Throws<ScenarioException>(() => RunCommand.Configure(BuiltInScenarios.Resolve("browse"), overrideRate ?? rate, users, duration, null, null));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h", 3_600_000)]
    public void DurationsRead(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("3 s")]
    [InlineData("-3s")]
    [InlineData("")]
    public void NonDurationsDoNotRead(string text) => Assert.False(DurationText.TryParse(text, out _));
}
