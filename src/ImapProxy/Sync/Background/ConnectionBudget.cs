using ImapProxy.Configuration;

namespace ImapProxy.Sync.Background;

/// <summary>
/// How serve shares an account's <c>maxconnections</c> between IDLE and the sync passes, so that the server never
/// sees more than that many connections from us at once (servers cap them per user: Dovecot's
/// <c>mail_max_userip_connections</c> defaults to 10, Gmail allows 15, and going over locks out the user's other
/// clients). One connection always stays for the passes; each <c>idle</c> folder takes one of the others, in the
/// order given. Folders beyond that are not IDLEd: the poll timer covers them, and serve says so at start.
/// </summary>
/// <param name="Idled">The <c>idle</c> folders that get an IDLE connection.</param>
/// <param name="Polled">The <c>idle</c> folders left to polling for want of connections.</param>
/// <param name="SyncConnections">The connections the passes may use (at least 1).</param>
internal sealed record ConnectionBudget(IReadOnlyList<string> Idled, IReadOnlyList<string> Polled, int SyncConnections)
{
    /// <summary>The split for <paramref name="account"/>.</summary>
    public static ConnectionBudget For(AccountConfig account)
    {
        var total = Math.Max(1, account.MaxConnections);
        var idle = account.Idle.Distinct(StringComparer.Ordinal).ToList();
        var idled = idle.Take(total - 1).ToList();
        return new ConnectionBudget(idled, idle.Skip(idled.Count).ToList(), total - idled.Count);
    }

    /// <summary>The warning serve logs when some <c>idle</c> folders cannot be IDLEd; null when all can.</summary>
    public string? Warning(AccountConfig account) => Polled.Count == 0 ? null
        : $"{account.Name}: maxconnections = {account.MaxConnections} leaves room for {Idled.Count} IDLE connection{(Idled.Count == 1 ? "" : "s")} "
          + $"(one is kept for syncing); not IDLEd, {(account.Poll > TimeSpan.Zero ? $"polled every {account.Poll.TotalSeconds:0} s instead" : "and with poll = 0 synced only by passes other changes start")}: "
          + string.Join(", ", Polled);
}
