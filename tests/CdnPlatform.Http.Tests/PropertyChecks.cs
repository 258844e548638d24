using FsCheck;

namespace CdnPlatform.Http.Tests;

/// <summary>Runs an FsCheck property with more cases than FsCheck's default 100, throwing on a counterexample.</summary>
internal static class PropertyChecks
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1000);

    public static void Holds(this Property property) => Check.One(Config, property);
}
