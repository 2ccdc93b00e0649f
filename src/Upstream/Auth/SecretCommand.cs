using System.Diagnostics;
using System.Text;

namespace ImapProxy.Upstream.Auth;

/// <summary>
/// Runs a user-supplied secret command (<c>passwordcommand</c>, <c>tokencommand</c>) through <c>/bin/sh -c</c>
/// and returns the first line of its standard output, trimmed.
/// </summary>
/// <remarks>
/// Only the first line is used because <c>pass show</c> and similar tools print the secret first and metadata after
/// it. Errors name the command's label and exit code but never what it printed: its stdout is the secret, and its
/// stderr may echo it. Standard input is closed at once, so a command waiting for input sees end-of-file rather
/// than hanging until the timeout.
/// </remarks>
public static class SecretCommand
{
    /// <summary>The default time a secret command may take before it is killed.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most output read from the command; a secret is never this long, and memory stays bounded.</summary>
    public const int MaxOutputBytes = 64 * 1024;

    /// <summary>Runs <paramref name="commandLine"/> and returns the first line of its output, trimmed.</summary>
    /// <param name="commandLine">The shell command line, run with <c>/bin/sh -c</c>.</param>
    /// <param name="label">Names the command in errors, e.g. <c>passwordcommand of [account personal]</c>.</param>
    /// <param name="timeout">How long the command may run before it is killed.</param>
    /// <param name="cancellationToken">Cancels the wait and kills the command.</param>
    /// <exception cref="SecretCommandException">The command could not start, failed, timed out or printed nothing.</exception>
    public static async Task<string> RunAsync(
        string commandLine, string label, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandLine);
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(commandLine);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new SecretCommandException($"{label} could not be started: {e.Message}");
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, deadline.Token);
            var stderr = ReadBoundedAsync(process.StandardError.BaseStream, deadline.Token);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new SecretCommandException($"{label} failed with exit code {process.ExitCode} (output not shown)");
            var secret = FirstLine(output);
            if (secret.Length == 0)
                throw new SecretCommandException($"{label} exited with code 0 but printed nothing");
            return secret;
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SecretCommandException(
                $"{label} did not finish within {timeout.TotalSeconds:0.#} s and was killed");
        }
    }

    private static string FirstLine(string output)
    {
        var end = output.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? output : output[..end]).Trim();
    }

    // Reads until end-of-file but keeps at most MaxOutputBytes, so a runaway command cannot fill memory
    // and cannot block on a full pipe either.
    private static async Task<string> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var room = MaxOutputBytes - (int)kept.Length;
            if (room > 0)
                kept.Write(buffer, 0, Math.Min(room, read));
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the timeout and the kill.
        }
    }
}
