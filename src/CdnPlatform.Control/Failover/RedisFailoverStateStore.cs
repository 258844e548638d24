using System.Globalization;
using System.Text.Json;
using CdnPlatform.Control.Api;
using StackExchange.Redis;

namespace CdnPlatform.Control.Failover;

/// <summary>
/// The state as one hash, <c>&lt;Cluster:KeyPrefix&gt;:failover</c>, in the control plane's Redis (the purge log's,
/// outside both datacenters, so it outlives either). One hash for every site: a switch moves every site's
/// <c>origin.</c> at once. Each save replaces the hash in one MULTI/EXEC, so a reader never sees half of two states.
/// </summary>
public sealed class RedisFailoverStateStore(IConnectionMultiplexer redis, string keyPrefix) : IFailoverStateStore
{
    private readonly RedisKey _key = keyPrefix + ":failover";

    public async Task<FailoverState?> LoadAsync(CancellationToken cancellationToken)
    {
        var fields = (await redis.GetDatabase().HashGetAllAsync(_key).WaitAsync(cancellationToken))
            .ToDictionary(f => f.Name.ToString(), f => f.Value.ToString(), StringComparer.Ordinal);
        if (!fields.TryGetValue("state", out var state) || !fields.TryGetValue("active", out var active))
        {
            return null;
        }
        return new FailoverState(state, active, fields.GetValueOrDefault("target"), fields.GetValueOrDefault("step"),
            DateTimeOffset.Parse(fields["since"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), fields.GetValueOrDefault("previousActive"),
            fields.TryGetValue("last", out var last) ? JsonSerializer.Deserialize(last, ControlJsonContext.Default.DatacenterSwitchReport) : null);
    }

    public async Task SaveAsync(FailoverState state, CancellationToken cancellationToken)
    {
        var fields = new List<HashEntry>
        {
            new("state", state.State),
            new("active", state.Active),
            new("since", state.Since.ToString("O", CultureInfo.InvariantCulture)),
        };
        foreach (var (name, value) in new[] { ("target", state.Target), ("step", state.Step), ("previousActive", state.PreviousActive),
            ("last", state.Last is { } last ? JsonSerializer.Serialize(last, ControlJsonContext.Default.DatacenterSwitchReport) : null) })
        {
            if (value is not null)
            {
                fields.Add(new HashEntry(name, value));
            }
        }
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.KeyDeleteAsync(_key);
        _ = transaction.HashSetAsync(_key, [.. fields]);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }
}
