namespace Chat.Tests.Infrastructure;

/// <summary>
/// Tests that push a server hard on purpose (a room outrunning a reader that stopped) run alone, after
/// the parallel ones: their load would otherwise stretch every other test's timing on a two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyLoadCollection
{
    public const string Name = "Heavy load";
}
