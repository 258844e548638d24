namespace CdnPlatform.Control.Api;

/// <summary>A gateway's <c>/gateway/writes</c>: its write mode and the writes it holds and passes now; <see cref="Error"/> when it did not answer.</summary>
public sealed record GatewayWriteState(string Gateway, string? Mode, int Held, int InFlight, string? Error)
{
    public static GatewayWriteState Failed(string gateway, string error) => new(gateway, null, 0, 0, error);
}
