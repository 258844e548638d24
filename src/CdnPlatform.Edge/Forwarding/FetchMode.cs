namespace CdnPlatform.Edge.Forwarding;

/// <summary>Whether a trip to the origin may fill the cache.</summary>
internal enum FetchMode
{
    /// <summary>Nothing it brings is stored: the visitor's request goes as it is, conditionals and ranges included.</summary>
    Pass,

    /// <summary>The response may be stored: the edge asks for the whole response, with its own validators if it holds a stale one.</summary>
    Fill,
}
