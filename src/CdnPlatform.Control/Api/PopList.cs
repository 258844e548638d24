namespace CdnPlatform.Control.Api;

/// <summary><c>GET /v1/pops</c>: every POP's traffic, read every <see cref="PollMilliseconds"/> (<c>Control:Traffic</c>).</summary>
public sealed record PopList(int PollMilliseconds, IReadOnlyList<PopView> Pops);
