using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ImapProxy.Cli;

/// <summary>The <c>imapproxy</c> command line: parsing, help, and dispatch to <see cref="CommandServices"/>.</summary>
public static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/> and returns the process exit code.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="console">Where output, errors and help go.</param>
    /// <param name="environment">Environment variables (see <see cref="Configuration.ConfigLoader.ProcessEnvironment"/>).</param>
    /// <param name="services">The components behind the commands.</param>
    /// <param name="handleSignals">Turn SIGINT/SIGTERM into cancellation (for the real process, not for tests).</param>
    /// <param name="cancellationToken">Cancels the running command.</param>
    public static async Task<int> RunAsync(string[] args, CliConsole console,
        IReadOnlyDictionary<string, string> environment, CommandServices services, bool handleSignals,
        CancellationToken cancellationToken)
    {
        // A command named first is the one that runs: only its options are built (a no-op sync is mostly fixed
        // costs, and building every command's options is one). Anything else, help included, gets the whole tree.
        var only = args.Length > 0 && Array.Exists(Commands, c => c.Name == args[0]) ? args[0] : null;
        var root = CreateRootCommand(new CommandEnvironment(console, environment, services), only);
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            var command = result.CommandResult.Command;
            var helpCommand = command == root ? "imapproxy --help" : $"imapproxy {command.Name} --help";
            return console.Fail(ExitCodes.Usage, $"{result.Errors[0].Message} (see '{helpCommand}')");
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // serve needs time to close connections and flush state after SIGTERM before the process is torn down.
            ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(15) : null,
        };
        return await result.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The commands, in the order help lists them.</summary>
    private static readonly (string Name, Func<CommandEnvironment, Command> Create)[] Commands =
    [
        ("serve", ServeCommand.Create),
        ("sync", SyncCommand.Create),
        ("status", StatusCheckCommands.CreateStatus),
        ("check", StatusCheckCommands.CreateCheck),
    ];

    /// <summary>Builds the command tree: every command, or only the one named <paramref name="only"/>.</summary>
    /// <remarks>
    /// The root is a plain <see cref="Command"/> named <c>imapproxy</c> rather than a <see cref="RootCommand"/>,
    /// whose name is the host process's: help must say <c>imapproxy</c> whether run as the executable, through
    /// <c>dotnet imapproxy.dll</c> or in-process from a test host.
    /// </remarks>
    internal static Command CreateRootCommand(CommandEnvironment env, string? only = null)
    {
        var root = new Command(CliConsole.ProgramName, 
            "imapproxy: a local IMAP server on a Maildir mirror, kept in sync with your real IMAP server.\n"
            + "Exit codes: 0 ok, 1 failure, 2 usage, 69 component unavailable, 75 temporary (e.g. locked), "
            + "78 configuration, 130 interrupted.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        foreach (var (name, create) in Commands)
        {
            if (only is null || only == name)
                root.Subcommands.Add(create(env));
        }
        root.SetAction(_ => env.Console.Fail(ExitCodes.Usage,
            "no command given: use serve, sync, status or check (see 'imapproxy --help')"));
        return root;
    }
}
