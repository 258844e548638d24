namespace CdnPlatform.Client;

/// <summary>The control plane refused a call; <see cref="Exception.Message"/> is its <c>error</c>.</summary>
public sealed class ControlApiException(int statusCode, string error) : Exception(error)
{
    public int StatusCode { get; } = statusCode;
}
