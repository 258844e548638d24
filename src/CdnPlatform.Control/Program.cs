using CdnPlatform.Control;
using Microsoft.Extensions.Options;

try
{
    await ControlHost.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"configuration error: {string.Join("; ", e.Failures)}");
    return 2;
}
