using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace CdnPlatform.Cli.Commands;

/// <summary>
/// <c>cdnctl purge [--site shop] --url … --prefix … --tag … [--all] [--soft] [--wait]</c>: sends one purge
/// and, with --wait, follows it until every edge has applied it.
/// </summary>
public static class PurgeCommand
{
    public static Command Create()
    {
        var site = new Option<string?>("--site") { Description = "Site to purge (default: the site serving the first --url or --prefix; needed for --tag and --all alone)" };
        var urls = new Option<string[]>("--url") { Description = "Absolute URL to purge (repeatable)", AllowMultipleArgumentsPerToken = true };
        var prefixes = new Option<string[]>("--prefix") { Description = "URL prefix to purge (repeatable)", AllowMultipleArgumentsPerToken = true };
        var tags = new Option<string[]>("--tag") { Description = "Surrogate key to purge (repeatable)", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Purge everything of the site" };
        var soft = new Option<bool>("--soft") { Description = "Mark stale instead of removing (stale-while-revalidate / stale-if-error still apply)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the purge until every edge has applied it" };
        var control = ControlApiClient.UrlOption();
        var apiKey = ControlApiClient.KeyOption();
        var command = new Command("purge", "Invalidate URLs, prefixes, tags or a whole site on every edge")
        {
            site, urls, prefixes, tags, all, soft, wait, control, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = ControlApiClient.Create(parse.GetValue(control), parse.GetValue(apiKey));
            var body = new Dictionary<string, object>
            {
                ["urls"] = parse.GetValue(urls) ?? [],
                ["prefixes"] = parse.GetValue(prefixes) ?? [],
                ["tags"] = parse.GetValue(tags) ?? [],
                ["all"] = parse.GetValue(all),
                ["soft"] = parse.GetValue(soft),
            };
            // Left out, not null: the control plane then takes the site from the first URL's host.
            if (parse.GetValue(site) is { } named)
            {
                body["site"] = named;
            }
            return await RunAsync(client, body, parse.GetValue(wait), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(HttpClient client, object body, bool wait, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync("/v1/purge", body, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"cannot reach the control plane at {client.BaseAddress}: {e.Message}");
            return 3;
        }
        using (response)
        {
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if ((int)response.StatusCode != 202)
            {
                Console.Error.WriteLine($"purge refused ({(int)response.StatusCode}): {answer.GetProperty("error").GetString()}");
                return (int)response.StatusCode is 400 or 401 or 403 ? 2 : 3;
            }
            var id = answer.GetProperty("id").GetString()!;
            Console.WriteLine($"accepted {id} (sequence {answer.GetProperty("sequence").GetInt64()})");
            return wait ? await FollowAsync(client, id, cancellationToken) : 0;
        }
    }

    private static async Task<int> FollowAsync(HttpClient client, string id, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = await client.GetFromJsonAsync<JsonElement>($"/v1/purge/{id}?wait=1", cancellationToken);
            foreach (var edge in status.GetProperty("edges").EnumerateArray())
            {
                var name = edge.GetProperty("edge").GetString()!;
                if (edge.GetProperty("applied").GetBoolean() && seen.Add(name))
                {
                    var at = edge.GetProperty("appliedAt");
                    Console.WriteLine($"  {name,-8} applied {(at.ValueKind == JsonValueKind.Null ? "" : at.GetDateTimeOffset().ToString("HH:mm:ss.fff"))}");
                }
            }
            switch (status.GetProperty("state").GetString())
            {
                case "done":
                    var ms = status.GetProperty("propagationMs");
                    Console.WriteLine(ms.ValueKind == JsonValueKind.Null ? "done" : $"done in {ms.GetDouble():0.0} ms");
                    return 0;
                case "partial":
                    Console.WriteLine("partial: some edges have not acknowledged in time (they apply it when they come back)");
                    return 1;
            }
        }
        return 1;
    }
}
