using ImapProxy.Cli;
using ImapProxy.Configuration;

namespace ImapProxy;

/// <summary>The imapproxy executable.</summary>
public static class Program
{
    /// <summary>Entry point: runs the command line and returns an <see cref="ExitCodes"/> value.</summary>
    public static Task<int> Main(string[] args) =>
        CliApp.RunAsync(args, new CliConsole(Console.Out, Console.Error) { OutIsTerminal = !Console.IsOutputRedirected }, ConfigLoader.ProcessEnvironment(),
            CommandServices.Default, handleSignals: true, CancellationToken.None);
}
