using System.Globalization;
using ImapProxy.TestSupport;

namespace ImapProxy.Bench.SyncPeers;

/// <summary>One finished run of a sync tool: wall time and peak RSS as GNU time measured them.</summary>
/// <param name="ExitCode">The tool's exit code.</param>
/// <param name="WallSeconds">Elapsed wall-clock seconds.</param>
/// <param name="PeakRssKilobytes">Maximum resident set size of the process, in KiB.</param>
/// <param name="ErrorTail">The last lines of its standard error, for a failure report.</param>
/// <param name="CpuSeconds">User plus system CPU seconds: on a loaded machine, what the tool itself cost.</param>
public sealed record TimedRun(int ExitCode, double WallSeconds, long PeakRssKilobytes, string ErrorTail, double CpuSeconds)
{
    /// <summary>
    /// Runs a command under <c>/usr/bin/time</c>, which reads the child's rusage after it exits: the same measure for
    /// every tool, and no sampling gaps for short runs.
    /// </summary>
    public static async Task<TimedRun> MeasureAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var timeFile = Path.GetTempFileName();
        try
        {
            var result = await ProcessRunner.RunAsync("/usr/bin/time",
                ["-f", "%e %M %U %S", "-o", timeFile, "--", fileName, .. arguments],
                timeout: TimeSpan.FromHours(2)); // offlineimap3's initial sync of the whole set takes about 30 minutes here
            var fields = (await File.ReadAllTextAsync(timeFile)).Trim().Split('\n')[^1].Split(' ');
            var errorLines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return new TimedRun(
                result.ExitCode,
                double.Parse(fields[0], CultureInfo.InvariantCulture),
                long.Parse(fields[1], CultureInfo.InvariantCulture),
                string.Join('\n', errorLines.Skip(Math.Max(0, errorLines.Length - 5))),
                double.Parse(fields[2], CultureInfo.InvariantCulture) + double.Parse(fields[3], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(timeFile);
        }
    }
}
