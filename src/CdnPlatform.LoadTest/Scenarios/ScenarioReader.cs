using System.Globalization;
using System.Text.Json;
using CdnPlatform.LoadTest.Thresholds;

namespace CdnPlatform.LoadTest.Scenarios;

/// <summary>
/// Reads a scenario file (JSON; the format is in docs/cdnload.md and the built-in scenarios are examples of it).
/// Strict: an unknown field, a wrong type or a value out of range is a <see cref="ScenarioException"/> naming the field,
/// so a typo in a sale-day test fails before any load, not after an hour of the wrong one.
/// </summary>
public static class ScenarioReader
{
    private static readonly string[] Fields =
        ["name", "description", "model", "rate", "users", "duration", "stages", "thinkTime", "site", "zipf", "pages", "mix", "purge", "drill", "thresholds", "connections", "timeout", "warmUp"];

    /// <param name="source">Where the text came from, for messages: a path or <c>built-in sale-peak</c>.</param>
    /// <param name="fallbackName">The name when the file has none (its file name).</param>
    public static Scenario Read(string json, string source, string fallbackName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{source}: not valid JSON: {e.Message}");
        }
        using (document)
        {
            return Read(document.RootElement, source, fallbackName);
        }
    }

    private static Scenario Read(JsonElement root, string source, string fallbackName)
    {
        var at = new Reader(source);
        at.Object(root, "the scenario", Fields);
        var model = at.OptionalString(root, "model") switch
        {
            null or "open" => LoadModel.Open,
            "closed" => LoadModel.Closed,
            var other => throw at.Fail("model", $"'{other}' is neither 'open' nor 'closed'"),
        };
        var startField = model == LoadModel.Open ? "rate" : "users";
        var otherField = model == LoadModel.Open ? "users" : "rate";
        if (root.TryGetProperty(otherField, out _))
        {
            throw at.Fail(otherField, $"belongs to the {(model == LoadModel.Open ? "closed" : "open")} model; this scenario's model is {(model == LoadModel.Open ? "open" : "closed")}");
        }
        var start = at.OptionalNumber(root, startField, 0, 1_000_000) ?? (model == LoadModel.Open ? 100 : 10);
        var stages = ReadStages(root, at, start);
        var thresholds = at.OptionalStrings(root, "thresholds");
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (!Threshold.TryParse(thresholds[i], out _, out var error))
            {
                throw at.Fail($"thresholds[{i}]", error!);
            }
        }
        var scenario = new Scenario(
            Name: at.OptionalString(root, "name") ?? fallbackName,
            Description: at.OptionalString(root, "description") ?? "",
            Model: model,
            Start: start,
            Stages: stages,
            ThinkTime: at.OptionalDuration(root, "thinkTime") ?? TimeSpan.Zero,
            Site: at.OptionalString(root, "site") ?? "www.shop.test",
            Zipf: at.OptionalNumber(root, "zipf", 0, 10) ?? 1.0,
            Pages: (int)(at.OptionalNumber(root, "pages", 1, 1_000_000) ?? 500),
            Mix: ReadMix(root, at),
            Purge: ReadPurge(root, at),
            Drill: ReadDrill(root, at),
            Thresholds: thresholds,
            Connections: (int)(at.OptionalNumber(root, "connections", 1, 100_000) ?? 64),
            Timeout: at.OptionalDuration(root, "timeout") ?? TimeSpan.FromSeconds(10))
        {
            WarmUp = at.OptionalDuration(root, "warmUp") ?? TimeSpan.FromSeconds(1),
        };
        if (scenario.Peak <= 0)
        {
            throw at.Fail("stages", $"the load never rises above 0 {startField}");
        }
        if (scenario.Timeout <= TimeSpan.Zero)
        {
            throw at.Fail("timeout", "must be more than 0");
        }
        return scenario;
    }

    private static List<Stage> ReadStages(JsonElement root, Reader at, double start)
    {
        var duration = at.OptionalDuration(root, "duration");
        if (!root.TryGetProperty("stages", out var stages))
        {
            return [new Stage(duration ?? TimeSpan.FromSeconds(30), start)];
        }
        if (duration is not null)
        {
            throw at.Fail("duration", "a scenario has either 'duration' (a hold at its rate or users) or 'stages', not both");
        }
        if (stages.ValueKind != JsonValueKind.Array || stages.GetArrayLength() == 0)
        {
            throw at.Fail("stages", "must be a non-empty array of {\"duration\": \"30s\", \"target\": N}");
        }
        var list = new List<Stage>();
        var i = 0;
        foreach (var stage in stages.EnumerateArray())
        {
            var field = $"stages[{i++}]";
            at.Object(stage, field, ["duration", "target"]);
            var length = at.OptionalDuration(stage, "duration", field) ?? throw at.Fail($"{field}.duration", "is missing");
            if (length <= TimeSpan.Zero)
            {
                throw at.Fail($"{field}.duration", "must be more than 0");
            }
            var target = at.OptionalNumber(stage, "target", 0, 1_000_000, field) ?? throw at.Fail($"{field}.target", "is missing");
            list.Add(new Stage(length, target));
        }
        return list;
    }

    private static JourneyMix ReadMix(JsonElement root, Reader at)
    {
        if (!root.TryGetProperty("mix", out var mix))
        {
            return JourneyMix.BrowseOnly;
        }
        at.Object(mix, "mix", ["browse", "shop"]);
        var result = new JourneyMix(at.OptionalNumber(mix, "browse", 0, 1_000_000, "mix") ?? 0, at.OptionalNumber(mix, "shop", 0, 1_000_000, "mix") ?? 0);
        return result.Browse + result.Shop > 0 ? result : throw at.Fail("mix", "needs a weight above 0 for 'browse' or 'shop'");
    }

    private static PurgeStorm? ReadPurge(JsonElement root, Reader at)
    {
        if (!root.TryGetProperty("purge", out var purge))
        {
            return null;
        }
        at.Object(purge, "purge", ["every", "products"]);
        var every = at.OptionalDuration(purge, "every", "purge") ?? TimeSpan.FromSeconds(2);
        if (every < TimeSpan.FromMilliseconds(100))
        {
            throw at.Fail("purge.every", "must be at least 100ms");
        }
        return new PurgeStorm(every, (int)(at.OptionalNumber(purge, "products", 1, 10_000, "purge") ?? 10));
    }

    private static DatacenterDrill? ReadDrill(JsonElement root, Reader at)
    {
        if (!root.TryGetProperty("drill", out var drill))
        {
            return null;
        }
        at.Object(drill, "drill", ["kill", "fault", "killAt", "restartAfter", "manual"]);
        var standby = at.OptionalString(drill, "kill", "drill") switch
        {
            null or "active" => false,
            "standby" => true,
            var other => throw at.Fail("drill.kill", $"'{other}' is neither 'active' nor 'standby'"),
        };
        var manual = at.OptionalBool(drill, "manual", "drill") ?? false;
        if (standby && manual)
        {
            throw at.Fail("drill.manual", "a standby's loss has no failover to ask for");
        }
        var fault = at.OptionalString(drill, "fault", "drill") switch
        {
            null or "kill" => DatacenterFault.Kill,
            "pause" => DatacenterFault.Pause,
            "pause-redis" => DatacenterFault.PauseRedis,
            var other => throw at.Fail("drill.fault", $"'{other}' is none of 'kill', 'pause', 'pause-redis'"),
        };
        return new DatacenterDrill(
            at.OptionalDuration(drill, "killAt", "drill") ?? TimeSpan.FromSeconds(10),
            at.OptionalDuration(drill, "restartAfter", "drill") ?? TimeSpan.FromSeconds(15),
            manual,
            standby,
            fault);
    }

    /// <summary>Field access that fails with the field's path and the file it is in.</summary>
    private sealed class Reader(string source)
    {
        public ScenarioException Fail(string field, string problem) => new($"{source}: {field}: {problem}");

        public void Object(JsonElement element, string field, string[] known)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException($"{source}: {field} must be a JSON object");
            }
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    var path = field == "the scenario" ? property.Name : $"{field}.{property.Name}";
                    throw Fail(path, $"unknown field (known: {string.Join(", ", known)})");
                }
            }
        }

        public string? OptionalString(JsonElement element, string name, string? parent = null)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return null;
            }
            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail(Path(parent, name), "must be a string");
        }

        public double? OptionalNumber(JsonElement element, string name, double min, double max, string? parent = null)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                throw Fail(Path(parent, name), "must be a number");
            }
            return number >= min && number <= max
                ? number
                : throw Fail(Path(parent, name), $"{number.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}–{max.ToString(CultureInfo.InvariantCulture)}");
        }

        public bool? OptionalBool(JsonElement element, string name, string? parent = null)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return null;
            }
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail(Path(parent, name), "must be true or false"),
            };
        }

        public TimeSpan? OptionalDuration(JsonElement element, string name, string? parent = null)
        {
            if (OptionalString(element, name, parent) is not { } text)
            {
                return null;
            }
            return DurationText.TryParse(text, out var duration)
                ? duration
                : throw Fail(Path(parent, name), $"'{text}' is not a duration (e.g. 500ms, 30s, 2m)");
        }

        public List<string> OptionalStrings(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return [];
            }
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                throw Fail(name, "must be an array of strings");
            }
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        }

        private static string Path(string? parent, string name) => parent is null ? name : $"{parent}.{name}";
    }
}
