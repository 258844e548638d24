using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CdnPlatform.Control.CloudFront;

/// <summary>CloudFront's REST-XML documents (API version 2020-05-31): the request body we write and the answers we read.</summary>
internal static class CloudFrontXml
{
    public const string Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    // Answers come off the network: no DTDs, so no entity expansion.
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public static byte[] InvalidationBatch(IReadOnlyList<string> paths, string callerReference)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("InvalidationBatch", Namespace);
            xml.WriteElementString("CallerReference", Namespace, callerReference);
            xml.WriteStartElement("Paths", Namespace);
            xml.WriteElementString("Quantity", Namespace, paths.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("Items", Namespace);
            foreach (var path in paths)
            {
                xml.WriteElementString("Path", Namespace, path);
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads an <c>&lt;Invalidation&gt;</c> document, or null when the body is not one.</summary>
    public static CloudFrontInvalidation? ReadInvalidation(string distributionId, byte[] body)
    {
        var root = Parse(body);
        if (root is null || root.Name.LocalName != "Invalidation")
        {
            return null;
        }
        var id = Child(root, "Id")?.Value;
        var status = Child(root, "Status")?.Value;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(status))
        {
            return null;
        }
        DateTimeOffset? created = DateTimeOffset.TryParse(
            Child(root, "CreateTime")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
        var batch = Child(root, "InvalidationBatch");
        var paths = batch is null
            ? []
            : Child(Child(batch, "Paths"), "Items")?.Elements().Where(e => e.Name.LocalName == "Path").Select(e => e.Value).ToList() ?? [];
        return new CloudFrontInvalidation(distributionId, id, status, created, Child(batch, "CallerReference")?.Value ?? "", paths);
    }

    /// <summary>Reads <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>; nulls where absent.</summary>
    public static (string? Code, string? Message, string? RequestId) ReadError(byte[] body)
    {
        var root = Parse(body);
        if (root is null || root.Name.LocalName != "ErrorResponse")
        {
            return (null, null, null);
        }
        var error = Child(root, "Error");
        return (Child(error, "Code")?.Value, Child(error, "Message")?.Value, Child(root, "RequestId")?.Value);
    }

    private static XElement? Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), ReaderSettings);
            return XDocument.Load(reader).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    // By local name: CloudFront's answers carry the versioned namespace, but older documents and proxies may not.
    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}
