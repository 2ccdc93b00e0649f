using System.Net;
using ImapProxy.Store;
using ImapProxy.Upstream.Auth;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Configuration;

/// <summary>Builds <see cref="AccountConfig"/> from an <c>[account NAME]</c> section and checks keys that depend on each other.</summary>
internal static class AccountReader
{
    public static AccountConfig Read(string name, SectionReader section, GeneralConfig general)
    {
        // Required keys first, so a bare section reports what it lacks in the order the documentation lists it.
        var host = section.Required("host");
        var user = section.Required("user");
        var localUser = section.Required("localuser");
        var localPassword = section.Required("localpassword");
        var tls = section.Choice("tls", ConfigKeys.TlsModes) ?? TlsMode.Implicit;
        var allowPlaintext = section.Bool("allowplaintext") ?? false;
        // Loopback is exempt, as in the upstream client: a local bridge (DavMail, Proton Bridge) often has no TLS.
        if (tls == TlsMode.None && !allowPlaintext && !IsLoopback(host))
            throw section.Error("tls",
                $"key 'tls' = none would send the password unencrypted to {host}; set 'allowplaintext = yes' in {section.Name} to allow it");
        var timeout = TimeSpan.FromSeconds(section.Int("timeout", 1, 3600) ?? 60);

        var (password, token) = ReadSecrets(name, section, timeout);
        var auth = section.Choice("auth", ConfigKeys.AuthMechanisms) ?? AuthMechanism.Auto;
        if (auth is AuthMechanism.Login or AuthMechanism.Plain && password is null)
            throw section.Error("auth", $"key 'auth' = {section.String("auth")} needs 'password' or 'passwordcommand' in {section.Name}");
        if (auth is AuthMechanism.XOAuth2 or AuthMechanism.OAuthBearer && token is null)
            throw section.Error("auth", $"key 'auth' = {section.String("auth")} needs 'tokencommand' in {section.Name}");

        var massDelete = new MassDeleteGuard(
            section.Int("massdeletepercent", 0, 100) ?? MassDeleteGuard.Default.Percent,
            section.Int("massdeleteminimum", 0, 1_000_000_000) ?? MassDeleteGuard.Default.Minimum);

        return new AccountConfig
        {
            Name = name,
            MaildirPath = Path.Combine(general.Maildir, name),
            Host = host,
            Port = section.Int("port", 1, 65535) ?? (tls == TlsMode.Implicit ? 993 : 143),
            Tls = tls,
            Fingerprint = ReadFingerprint(section),
            AllowPlaintext = allowPlaintext,
            Timeout = timeout,
            User = user,
            Password = password,
            Token = token,
            Auth = auth,
            LocalUser = localUser,
            LocalPassword = localPassword,
            Folders = section.List("folders") ?? ["*"],
            Exclude = section.List("exclude") ?? [],
            Idle = section.List("idle") ?? ["INBOX"],
            Poll = TimeSpan.FromSeconds(section.Int("poll", 0, 7 * 24 * 3600) ?? 300),
            MaxConnections = section.Int("maxconnections", 1, 100) ?? 4,
            Layout = section.Choice("layout", ConfigKeys.Layouts) ?? MaildirLayout.MaildirPlusPlus,
            MassDelete = massDelete,
        };
    }

    private static (SecretSource? Password, SecretSource? Token) ReadSecrets(
        string name, SectionReader section, TimeSpan timeout)
    {
        var literal = section.String("password");
        var command = section.String("passwordcommand");
        var tokenCommand = section.String("tokencommand");
        if (literal is not null && command is not null)
            throw section.Error(section.LaterOf("password", "passwordcommand"),
                $"keys 'password' and 'passwordcommand' are both set in {section.Name}; keep one");
        if (literal is null && command is null && tokenCommand is null)
            throw new ConfigException(section.Origin,
                $"required key 'password', 'passwordcommand' or 'tokencommand' is missing in {section.Name}");

        // A command gets at least the default 30 s: a GPG pinentry can take a while, whatever the network timeout.
        var commandTimeout = timeout > SecretCommand.DefaultTimeout ? timeout : SecretCommand.DefaultTimeout;
        var password = literal is not null
            ? SecretSource.Literal(literal, $"password of [account {name}]")
            : command is not null
                ? SecretSource.Command(command, $"passwordcommand of [account {name}]", commandTimeout)
                : null;
        var token = tokenCommand is not null
            ? SecretSource.Command(tokenCommand, $"tokencommand of [account {name}]", commandTimeout)
            : null;
        return (password, token);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static string? ReadFingerprint(SectionReader section)
    {
        if (section.String("fingerprint") is not { } text)
            return null;
        var hex = text.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
            return hex;
        throw section.Error("fingerprint",
            $"key 'fingerprint' must be a SHA-256 hash: 64 hex digits, colons allowed, not '{IniReader.Shorten(text)}'");
    }
}
