using CdnPlatform.OriginGateway;
using Microsoft.Extensions.Options;

try
{
    await OriginGatewayHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"configuration error: {string.Join("; ", e.Failures)}");
    return 2;
}
