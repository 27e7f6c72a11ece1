using System.Globalization;

/// <summary>
/// Loaded into each server the bench starts (<c>DOTNET_STARTUP_HOOKS</c>): every 200 ms it writes
/// the process's own GC figures to the file named by <c>CHAT_BENCH_GC_STATS</c>, so the bench can
/// report bytes allocated per delivery, collections and pauses, the managed heap, and how much the
/// JIT compiled (a measured window should compile nothing). When the file
/// <c>CHAT_BENCH_GC_STATS.collect</c> appears it runs a full, compacting GC that returns free memory
/// to the system, then deletes it: what remains is what the server really keeps. The runtime looks
/// this type up by name, outside any namespace.
/// </summary>
internal static class StartupHook
{
    public const string FileVariable = "CHAT_BENCH_GC_STATS";

    // A constant: the server that loads this hook needs no Chat.Testing.dll.
    public const string CollectSuffix = Chat.Testing.ServerProcess.CollectSuffix;

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(FileVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var thread = new Thread(() => WriteLoop(path)) { IsBackground = true, Name = "bench GC stats" };
        thread.Start();
    }

    private static void WriteLoop(string path)
    {
        var staging = path + ".next";
        var collect = path + CollectSuffix;
        while (true)
        {
            try
            {
                if (File.Exists(collect))
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                }

                var info = GC.GetGCMemoryInfo();
                File.WriteAllText(staging, string.Join(
                    ' ',
                    GC.GetTotalAllocatedBytes(precise: false).ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(0).ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(1).ToString(CultureInfo.InvariantCulture),
                    GC.CollectionCount(2).ToString(CultureInfo.InvariantCulture),
                    GC.GetTotalPauseDuration().Ticks.ToString(CultureInfo.InvariantCulture),
                    info.HeapSizeBytes.ToString(CultureInfo.InvariantCulture),
                    GC.GetTotalMemory(forceFullCollection: false).ToString(CultureInfo.InvariantCulture),
                    System.Runtime.JitInfo.GetCompiledMethodCount().ToString(CultureInfo.InvariantCulture),
                    System.Runtime.JitInfo.GetCompilationTime().Ticks.ToString(CultureInfo.InvariantCulture),
                    info.TotalCommittedBytes.ToString(CultureInfo.InvariantCulture)));
                File.Move(staging, path, overwrite: true);
                File.Delete(collect);
            }
            catch (IOException)
            {
            }

            Thread.Sleep(200);
        }
    }
}
