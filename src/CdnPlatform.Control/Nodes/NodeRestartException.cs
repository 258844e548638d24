namespace CdnPlatform.Control.Nodes;

/// <summary>An <see cref="INodeRestarter"/> could not restart a node; the message says why.</summary>
public sealed class NodeRestartException(string message, Exception? inner = null) : Exception(message, inner);
