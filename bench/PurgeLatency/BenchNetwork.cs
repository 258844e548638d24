/// <summary>The network under measurement: where to send purges and where visitors go.</summary>
internal interface IBenchNetwork : IAsyncDisposable
{
    string ControlUrl { get; }
    IReadOnlyList<string> EdgeUrls { get; }
}
