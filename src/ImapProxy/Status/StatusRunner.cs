using ImapProxy.Cli;
using ImapProxy.Store;

namespace ImapProxy.Status;

/// <summary>
/// <c>imapproxy status</c>: per account and folder, the messages on each side, the last sync, the changes waiting to
/// be pushed and the last error, from the sync state and the mirror's index only (no upstream connection, no lock).
/// </summary>
internal sealed class StatusRunner(TimeProvider time) : IStatusRunner
{
    public async Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken)
    {
        var (config, console) = request;
        var printer = new StatusPrinter(console.Out, time);
        var failures = 0;
        for (var i = 0; i < config.Accounts.Count; i++)
        {
            var account = config.Accounts[i];
            if (i > 0) console.Out.WriteLine();
            try
            {
                printer.Write(await AccountStatusReader.ReadAsync(config, account, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is StoreIOException or Microsoft.Data.Sqlite.SqliteException or IOException
                                          or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
            {
                failures++;
                console.WriteError($"account {account.Name}: cannot read its state: {e.Message}");
            }
        }
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
