namespace ImapProxy.Configuration;

/// <summary>The whole, validated configuration: the <c>[general]</c> settings and the active accounts.</summary>
public sealed record ProxyConfig
{
    /// <summary>The configuration file it was read from (absolute).</summary>
    public required string SourcePath { get; init; }

    /// <summary>The <c>[general]</c> section.</summary>
    public required GeneralConfig General { get; init; }

    /// <summary>
    /// The active accounts: those named by <c>accounts</c> in that order, or every <c>[account …]</c> section in
    /// file order. Sections left out of <c>accounts</c> are still validated but not listed here.
    /// </summary>
    public required IReadOnlyList<AccountConfig> Accounts { get; init; }

    /// <summary>The active account called <paramref name="name"/> (case-sensitive), or null.</summary>
    public AccountConfig? FindAccount(string name) => Accounts.FirstOrDefault(a => a.Name == name);

    /// <summary>The active account whose <see cref="AccountConfig.LocalUser"/> is <paramref name="localUser"/>, or null.</summary>
    public AccountConfig? FindByLocalUser(string localUser) =>
        Accounts.FirstOrDefault(a => a.LocalUser == localUser);
}
