namespace CdnPlatform.Http.Ranges;

/// <summary>A satisfiable byte range of a representation: <see cref="Length"/> bytes from <see cref="Offset"/>.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    /// <summary>The last byte's position, as Content-Range writes it.</summary>
    public long Last => Offset + Length - 1;
}
