namespace CdnPlatform.Client;

/// <summary>
/// What one logged-in visitor's cart must hold, from the writes the shop acknowledged, so a write the shop said
/// yes to and then lost is seen. Each product's line is either known (the last acknowledged write set it) or
/// uncertain (a write failed without an answer, so it may or may not have landed); the next write of an uncertain
/// line removes it, which makes it known again whatever happened before.
/// </summary>
public sealed class ShopperCart
{
    private readonly Dictionary<int, int?> _lines = [];

    /// <summary>The quantity to send for <paramref name="productId"/>: 1 to add it to an empty line, 0 to remove it.</summary>
    public int NextQuantity(int productId) => _lines.GetValueOrDefault(productId, 0) == 0 ? 1 : 0;

    /// <summary>The shop acknowledged the write: the line now holds the quantity sent (adds are of one, onto an empty line).</summary>
    public void Acknowledged(int productId, int quantity) => _lines[productId] = quantity;

    /// <summary>The write got no acknowledgement: it may have landed or not.</summary>
    public void Unanswered(int productId) => _lines[productId] = null;

    /// <summary>
    /// The lines that differ from a cart the shop just showed (product id → quantity), ignoring uncertain lines.
    /// Each of them is an acknowledged write that is not there (or an acknowledged removal undone).
    /// </summary>
    public IReadOnlyList<int> Differences(IReadOnlyDictionary<int, int> shown) =>
        [.. _lines.Where(l => l.Value is { } expected && shown.GetValueOrDefault(l.Key, 0) != expected).Select(l => l.Key)];

    /// <summary>Take what the shop shows as the truth from now on, so a loss is counted once.</summary>
    public void Adopt(IReadOnlyDictionary<int, int> shown)
    {
        foreach (var productId in _lines.Keys.ToList())
        {
            _lines[productId] = shown.GetValueOrDefault(productId, 0);
        }
    }
}
