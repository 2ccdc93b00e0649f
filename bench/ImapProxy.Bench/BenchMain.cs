using BenchmarkDotNet.Running;

namespace ImapProxy.Bench;

/// <summary>Runs the benchmarks in this assembly; pick them with --filter, as BenchmarkDotNet documents.</summary>
public static class BenchMain
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchMain).Assembly).Run(args);
}
