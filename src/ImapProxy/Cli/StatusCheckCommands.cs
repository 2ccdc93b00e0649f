using System.CommandLine;

namespace ImapProxy.Cli;

/// <summary><c>imapproxy status</c> and <c>imapproxy check</c>: read-only commands that take no lock.</summary>
internal static class StatusCheckCommands
{
    public static Command CreateStatus(CommandEnvironment env) => Create(env, "status",
        "Show each account's sync state: folders, message counts, last sync, pending changes",
        (request, ct) => env.Services.Status.RunAsync(request, ct));

    public static Command CreateCheck(CommandEnvironment env) => Create(env, "check",
        "Validate the configuration and run the password/token commands; exit 0 when all is well",
        (request, ct) => env.Services.Check.RunAsync(request, ct));

    private static Command Create(CommandEnvironment env, string name, string description,
        Func<ConfigRequest, CancellationToken, Task<int>> run)
    {
        var config = CommonOptions.Config();
        var command = new Command(name, description) { config };
        command.SetAction((result, ct) => CommandAction.RunAsync(env, async () =>
        {
            var loaded = await env.LoadConfigAsync(result, config, ct).ConfigureAwait(false);
            return await run(new ConfigRequest(loaded, env.Console), ct).ConfigureAwait(false);
        }, ct));
        return command;
    }
}
