using ImapProxy.Store;
using ImapProxy.Upstream.Client;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Configuration;

/// <summary>The keys each section accepts and the words enumerated keys accept.</summary>
/// <remarks>
/// Plain hash sets, not frozen ones: every command reads the configuration once, and building a frozen set (it
/// studies its keys to pick a layout) costs more than all the lookups it would speed up.
/// </remarks>
internal static class ConfigKeys
{
    public static readonly IReadOnlySet<string> General = Set(
    [
        "accounts", "maildir", "statedir", "listen", "tlslisten", "tlscert", "tlskey", "loglevel",
    ]);

    public static readonly IReadOnlySet<string> Account = Set(
    [
        "host", "port", "tls", "fingerprint", "allowplaintext", "timeout",
        "user", "password", "passwordcommand", "tokencommand", "auth",
        "localuser", "localpassword",
        "folders", "exclude", "idle", "poll", "maxconnections", "layout",
        "massdeletepercent", "massdeleteminimum",
    ]);

    /// <summary>Keys whose presence in a file readable by others earns a warning.</summary>
    public static readonly IReadOnlySet<string> Secrets = Set(["password", "localpassword"]);

    // Dictionaries keep insertion order for enumeration as long as nothing is removed; error messages list
    // the choices in this order.
    public static readonly IReadOnlyDictionary<string, TlsMode> TlsModes = new Dictionary<string, TlsMode>
    {
        ["implicit"] = TlsMode.Implicit, ["starttls"] = TlsMode.StartTls, ["none"] = TlsMode.None,
    };

    public static readonly IReadOnlyDictionary<string, AuthMechanism> AuthMechanisms =
        new Dictionary<string, AuthMechanism>
        {
            ["auto"] = AuthMechanism.Auto, ["login"] = AuthMechanism.Login, ["plain"] = AuthMechanism.Plain,
            ["xoauth2"] = AuthMechanism.XOAuth2, ["oauthbearer"] = AuthMechanism.OAuthBearer,
        };

    public static readonly IReadOnlyDictionary<string, MaildirLayout> Layouts = new Dictionary<string, MaildirLayout>
    {
        ["maildir++"] = MaildirLayout.MaildirPlusPlus, ["fs"] = MaildirLayout.Fs,
    };

    public static readonly IReadOnlyDictionary<string, LogLevel> LogLevels = new Dictionary<string, LogLevel>
    {
        ["trace"] = LogLevel.Trace, ["debug"] = LogLevel.Debug, ["info"] = LogLevel.Information,
        ["information"] = LogLevel.Information, ["warn"] = LogLevel.Warning, ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error, ["critical"] = LogLevel.Critical, ["none"] = LogLevel.None,
    };

    private static HashSet<string> Set(string[] keys) => new(keys, StringComparer.Ordinal);
}
