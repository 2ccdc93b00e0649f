using ImapProxy.Upstream.Auth;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Configuration;

/// <summary>Turns an account's configuration into the options the upstream client and the sync engine take.</summary>
public static class AccountConfigMapping
{
    /// <summary>The upstream client options for <paramref name="account"/>; secrets are resolved at each login.</summary>
    public static UpstreamOptions ToUpstreamOptions(this AccountConfig account) => new()
    {
        Host = account.Host,
        Port = account.Port,
        Tls = account.Tls,
        AllowPlaintext = account.AllowPlaintext,
        Fingerprint = account.Fingerprint,
        User = account.User,
        PasswordProvider = Provider(account.Password),
        TokenProvider = Provider(account.Token),
        Mechanisms = account.Auth switch
        {
            AuthMechanism.Login => ["LOGIN"],
            AuthMechanism.Plain => ["PLAIN"],
            AuthMechanism.XOAuth2 => ["XOAUTH2"],
            AuthMechanism.OAuthBearer => ["OAUTHBEARER"],
            _ => null,
        },
        ConnectTimeout = account.Timeout,
        ReadTimeout = account.Timeout,
    };

    /// <summary>The sync engine options for one run over <paramref name="account"/>.</summary>
    public static SyncOptions ToSyncOptions(this AccountConfig account, bool dryRun, bool allowMassDelete) => new()
    {
        DryRun = dryRun,
        AllowMassDelete = allowMassDelete,
        MassDeleteShare = account.MassDelete.Share,
        MassDeleteMinMessages = account.MassDelete.Minimum,
    };

    private static SecretProvider? Provider(SecretSource? source) =>
        source is null ? null : cancellationToken => new ValueTask<string>(source.ResolveAsync(cancellationToken));
}
