using System.Xml.Linq;

namespace CdnPlatform.Control.Tests.CloudFront;

/// <summary>One request as <see cref="FakeCloudFront"/> received and judged it.</summary>
/// <param name="SignatureFailure">Why the SigV4 signature did not verify; null when it did.</param>
/// <param name="SchemaFailures">Where a CreateInvalidation body strays from the documented <c>InvalidationBatch</c>.</param>
/// <param name="Paths">The <c>Path</c> items of a CreateInvalidation body, in order.</param>
public sealed record FakeCloudFrontRequest(
    string Method,
    string RawTarget,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    string? SignatureFailure,
    IReadOnlyList<string> SchemaFailures,
    string? CallerReference,
    IReadOnlyList<string> Paths)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public XDocument Xml => XDocument.Parse(System.Text.Encoding.UTF8.GetString(Body));
}
