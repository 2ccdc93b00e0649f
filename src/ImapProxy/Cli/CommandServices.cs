namespace ImapProxy.Cli;

/// <summary>
/// The components behind the commands. The CLI parses options, loads and validates the configuration and takes
/// the state lock; then it hands over to these. Components plug in by replacing a runner in <see cref="Default"/>.
/// </summary>
/// <param name="Serve">Behind <c>imapproxy serve</c>.</param>
/// <param name="Sync">Behind <c>imapproxy sync</c>.</param>
/// <param name="Status">Behind <c>imapproxy status</c>.</param>
/// <param name="Check">Behind <c>imapproxy check</c>.</param>
public sealed record CommandServices(IServeRunner Serve, ISyncRunner Sync, IStatusRunner Status, ICheckRunner Check)
{
    /// <summary>
    /// What this build offers: <c>serve</c> runs the local IMAP server, <c>sync</c> one sync pass per account,
    /// <c>status</c> reads the sync state, <c>check</c> checks the configuration.
    /// </summary>
    public static CommandServices Default { get; } = new(
        new ImapProxy.Server.ServeRunner(),
        new ImapProxy.Sync.SyncRunner(),
        new ImapProxy.Status.StatusRunner(TimeProvider.System),
        new CheckRunner());
}
