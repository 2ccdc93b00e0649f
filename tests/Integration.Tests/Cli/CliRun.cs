using ImapProxy.Cli;

namespace ImapProxy.Integration.Tests.Cli;

/// <summary>Runs the imapproxy command line in-process, as Program.Main does, with captured output.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task<Result> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(TextWriter.Synchronized(output), TextWriter.Synchronized(error)),
            new Dictionary<string, string> { ["HOME"] = "/nonexistent-home" }, CommandServices.Default, handleSignals: false, cancellationToken);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>Writes a config for one account against <paramref name="host"/>:<paramref name="port"/> (plaintext, loopback).</summary>
    public static string WriteConfig(string directory, string host, int port, string user, string password, string extra = "")
    {
        var path = Path.Combine(directory, "config.ini");
        File.WriteAllText(path, $"""
            [general]
            statedir = state
            maildir = mail
            listen = 127.0.0.1:0

            [account test]
            host = {host}
            port = {port}
            tls = none
            user = {user}
            password = {password}
            localuser = local
            localpassword = local-secret
            {extra}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
