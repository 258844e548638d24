using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CdnPlatform.Origin.Storage;

/// <summary>
/// The Data Protection key ring without Redis: one instance shared by every node of <c>cdnctl up</c>, both
/// datacenters included, so any node reads a session cookie another node wrote (as Redis does on real hosts).
/// </summary>
public sealed class SharedKeyRing : IXmlRepository
{
    private readonly Lock _lock = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_lock)
        {
            return [.. _elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_lock)
        {
            _elements.Add(new XElement(element));
        }
    }
}
