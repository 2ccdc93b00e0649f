using System.Diagnostics;

namespace ImapProxy.TestSupport;

/// <summary>Runs a short-lived command and captures its output.</summary>
public static class ProcessRunner
{
    /// <summary>The outcome of a finished command.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>, optionally feeding stdin. A command still
    /// running after <paramref name="timeout"/> (default 2 minutes: real clients such as mbsync and offlineimap copy a
    /// whole mirror in one run) is killed with its children and fails with a <see cref="TimeoutException"/> naming it.
    /// </summary>
    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, byte[]? standardInput = null, CancellationToken cancellationToken = default,
        TimeSpan? timeout = null)
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
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(limit);
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(expiry.Token);
        var stderr = process.StandardError.ReadToEndAsync(expiry.Token);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(standardInput, expiry.Token);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(expiry.Token);
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{fileName} {string.Join(' ', startInfo.ArgumentList)}: still running after {limit.TotalSeconds:0} s, killed");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
