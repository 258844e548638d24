namespace CdnPlatform.Control.Nodes;

/// <summary>
/// The nodes ops have drained, per datacenter: what every gateway is told. Kept in memory only: a control plane
/// that restarts has none drained, and its next re-assertion undrains every node at every gateway.
/// </summary>
public sealed class DrainSet
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string Datacenter, string Node)> _drained = [];

    public bool Contains(string datacenter, string node)
    {
        lock (_lock)
        {
            return _drained.Contains((datacenter, node));
        }
    }

    public void Add(string datacenter, string node)
    {
        lock (_lock)
        {
            _drained.Add((datacenter, node));
        }
    }

    public void Remove(string datacenter, string node)
    {
        lock (_lock)
        {
            _drained.Remove((datacenter, node));
        }
    }

    /// <summary>The drained nodes of <paramref name="datacenter"/>, in name order.</summary>
    public IReadOnlyList<string> Of(string datacenter)
    {
        lock (_lock)
        {
            return _drained.Where(d => d.Datacenter == datacenter).Select(d => d.Node).Order(StringComparer.Ordinal).ToList();
        }
    }
}
