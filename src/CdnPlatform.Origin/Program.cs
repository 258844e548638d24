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
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"content error: {e.Message}");
    return 2;
}
