using System.Diagnostics;

namespace ImapProxy.TestSupport;

/// <summary>Runs a short-lived command and captures its output.</summary>
public static class ProcessRunner
{
    /// <summary>The outcome of a finished command.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>, optionally feeding stdin.</summary>
    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, byte[]? standardInput = null, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput, cancellationToken);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
