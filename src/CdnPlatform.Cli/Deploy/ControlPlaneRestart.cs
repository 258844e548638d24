using CdnPlatform.Client;

namespace CdnPlatform.Cli.Deploy;

/// <summary>Restarts through <c>POST /v1/nodes/{dc}/{node}/restart</c>: for hosts that provide a restarter (<c>cdnctl up</c>).</summary>
public sealed class ControlPlaneRestart(NodeApi api) : IRestartStep
{
    public async Task<string?> RestartAsync(string datacenter, string node, int index, CancellationToken cancellationToken)
    {
        try
        {
            await api.RestartAsync(datacenter, node, cancellationToken);
            return null;
        }
        catch (ControlApiException e) when (e.StatusCode == 501)
        {
            return $"the control plane cannot restart nodes here; pass --restart-command ({e.Message})";
        }
        catch (ControlApiException e)
        {
            return e.Message;
        }
    }
}
