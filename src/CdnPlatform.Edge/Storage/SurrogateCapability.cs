namespace CdnPlatform.Edge.Storage;

/// <summary>The request field that tells an origin which Surrogate-Control targets this cache answers to.</summary>
internal static class SurrogateCapability
{
    public const string Header = "Surrogate-Capability";
    public static readonly string Value = $"{StoragePlanner.SurrogateTarget}=\"Surrogate/1.0\"";
}
