namespace ImapProxy.Cli;

/// <summary>
/// Stands in for a component that is not part of this build: the configuration has been validated, but the work
/// asked for cannot be done, so it says so and exits with <see cref="ExitCodes.Unavailable"/>.
/// </summary>
/// <param name="command">The command name, for the message.</param>
/// <param name="component">What is missing, e.g. "the local IMAP server".</param>
internal sealed class UnavailableRunner(string command, string component) : IServeRunner, ISyncRunner, IStatusRunner
{
    public Task<int> RunAsync(ServeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Report(request.Console, request.Config.Accounts.Count));

    public Task<int> RunAsync(SyncRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Report(request.Console, request.Accounts.Count));

    public Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Report(request.Console, request.Config.Accounts.Count));

    private int Report(CliConsole console, int accounts) =>
        console.Fail(ExitCodes.Unavailable,
            $"{command}: {component} is not available in this build yet "
            + $"(configuration is valid: {accounts} account{(accounts == 1 ? "" : "s")})");
}
