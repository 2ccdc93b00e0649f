using ImapProxy.Configuration;
using ImapProxy.Store;

namespace ImapProxy.Sync;

/// <summary>Where one account's files live: the mirror, its index, and the sync state.</summary>
/// <param name="MaildirPath">The mirror's root.</param>
/// <param name="IndexPath">The mirror's SQLite index.</param>
/// <param name="StatePath">The sync state database.</param>
/// <param name="StoreOptions">The options the mirror is opened with.</param>
internal sealed record AccountPaths(string MaildirPath, string IndexPath, string StatePath, MailStoreOptions StoreOptions)
{
    /// <summary>The paths of <paramref name="account"/> under <paramref name="config"/>.</summary>
    public static AccountPaths For(ProxyConfig config, AccountConfig account)
    {
        var options = new MailStoreOptions { Layout = account.Layout };
        return new AccountPaths(account.MaildirPath, Path.Combine(account.MaildirPath, MailStoreOptions.DefaultIndexFileName),
            AccountSynchronizer.StatePathFor(config.General.StateDir, account.Name), options);
    }
}
