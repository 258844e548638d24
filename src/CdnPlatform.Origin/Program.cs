using CdnPlatform.Origin;
using Microsoft.Extensions.Options;

try
{
    await OriginHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"configuration error: {string.Join("; ", e.Failures)}");
    return 2;
}
