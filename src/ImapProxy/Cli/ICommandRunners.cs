namespace ImapProxy.Cli;

/// <summary>Runs the local IMAP server (and its background sync) until cancelled. Returns an <see cref="ExitCodes"/> value.</summary>
public interface IServeRunner
{
    /// <summary>Serves until <paramref name="cancellationToken"/> fires (SIGINT/SIGTERM); the state lock is already held.</summary>
    Task<int> RunAsync(ServeRequest request, CancellationToken cancellationToken);
}

/// <summary>Runs one synchronization pass. Returns an <see cref="ExitCodes"/> value.</summary>
public interface ISyncRunner
{
    /// <summary>Syncs the requested accounts and folders once; the state lock is already held.</summary>
    Task<int> RunAsync(SyncRequest request, CancellationToken cancellationToken);
}

/// <summary>Reports the sync state of each account (read-only; runs while <c>serve</c> holds the lock).</summary>
public interface IStatusRunner
{
    /// <summary>Writes the status report to <see cref="CliConsole.Out"/>.</summary>
    Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken);
}

/// <summary>Checks that the configuration can work: secrets resolve, and (later) servers answer and accept the login.</summary>
public interface ICheckRunner
{
    /// <summary>Writes one line per check to <see cref="CliConsole.Out"/>; failures also go to stderr.</summary>
    Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken);
}
