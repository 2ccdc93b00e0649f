using System.Collections;

namespace ImapProxy.Configuration;

/// <summary>
/// Reads, overrides and validates the configuration: the INI file, then <c>IMAPPROXY__…</c> environment variables,
/// then every key. Either everything is valid or a <see cref="ConfigException"/> says, in one line, what is not.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The configuration file's size limit; a bigger file is surely not a configuration file.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Loads and validates <paramref name="path"/>.</summary>
    /// <param name="path">The configuration file (<c>~</c> expanded).</param>
    /// <param name="environment">Environment variables: overrides, <c>HOME</c>, <c>XDG_*</c>.</param>
    /// <param name="warnings">Receives one-line warnings, such as a file with passwords that others can read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ConfigException">The file is unreadable or something in it or in the environment is wrong.</exception>
    /// <remarks>
    /// The file is read at once rather than through the async file API: a file of at most 1 MiB on a local disk
    /// takes less than the thread-pool round trip, and start-up is most of a no-op sync.
    /// </remarks>
    public static Task<ProxyConfig> LoadAsync(string path, IReadOnlyDictionary<string, string> environment,
        Action<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(Load(path, environment, warnings));
        }
        catch (Exception e)
        {
            return Task.FromException<ProxyConfig>(e);
        }
    }

    private static ProxyConfig Load(string path, IReadOnlyDictionary<string, string> environment, Action<string> warnings)
    {
        var fullPath = new ConfigPaths(Directory.GetCurrentDirectory(), environment).Resolve(path) ?? path;
        string text;
        try
        {
            if (new FileInfo(fullPath).Length > MaxFileBytes)
                throw new ConfigException(path, $"is larger than {MaxFileBytes / 1024} KiB; is it really the configuration file?");
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, $"cannot read the configuration file: {e.Message}");
        }

        var document = IniReader.Parse(text, path);
        if (ConfigFileSecurity.WarningFor(fullPath, document) is { } warning)
            warnings(warning);
        EnvironmentOverrides.Apply(document, environment);
        var paths = new ConfigPaths(Path.GetDirectoryName(fullPath) ?? "/", environment);
        return Build(document, fullPath, paths);
    }

    /// <summary>A snapshot of this process's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = (string?)entry.Value ?? "";
        return result;
    }

    private static ProxyConfig Build(IniDocument document, string fullPath, ConfigPaths paths)
    {
        var accountSections = new List<(string Name, IniSection Section)>();
        foreach (var section in document.Sections)
        {
            if (section.Header == "general")
                continue;
            if (!section.Header.StartsWith("account", StringComparison.Ordinal))
                throw new ConfigException(section.Origin,
                    $"section [{IniReader.Shorten(section.Header)}] is not known (expected [general] or [account NAME])");
            accountSections.Add((AccountName(section), section));
        }

        var generalSection = document.Find("general") ?? new IniSection("general", document.DisplayPath);
        var generalReader = new SectionReader(generalSection, ConfigKeys.General, paths);
        var general = GeneralReader.Read(generalReader);

        var accounts = new List<AccountConfig>();
        foreach (var (name, section) in accountSections)
        {
            var account = AccountReader.Read(name, new SectionReader(section, ConfigKeys.Account, paths), general);
            if (accounts.Find(a => a.LocalUser == account.LocalUser) is { } clash)
                throw new ConfigException(section.Find("localuser")!.Origin,
                    $"key 'localuser' = {account.LocalUser} is already the local user of [account {clash.Name}]");
            accounts.Add(account);
        }
        if (accounts.Count == 0)
            throw new ConfigException(document.DisplayPath, "no [account NAME] section; at least one account is needed");

        return new ProxyConfig
        {
            SourcePath = fullPath,
            General = general,
            Accounts = SelectActive(generalReader, accounts),
        };
    }

    private static string AccountName(IniSection section)
    {
        var words = section.Header.Split(' ', 2);
        if (words[0] != "account")
            throw new ConfigException(section.Origin,
                $"section [{IniReader.Shorten(section.Header)}] is not known (expected [general] or [account NAME])");
        if (words.Length < 2)
            throw new ConfigException(section.Origin, "section [account] needs a name: [account NAME]");
        var name = words[1];
        // The name becomes a directory under the Maildir root, so it must be one safe path segment.
        if (name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '@'))
            throw new ConfigException(section.Origin,
                $"account name '{IniReader.Shorten(name)}' may only use letters, digits and . _ - + @ (and not start with '.')");
        return name;
    }

    private static IReadOnlyList<AccountConfig> SelectActive(SectionReader general, List<AccountConfig> all)
    {
        if (general.List("accounts", commas: true) is not { } names)
            return all;
        var active = new List<AccountConfig>();
        foreach (var name in names)
        {
            var account = all.Find(a => a.Name == name)
                ?? throw general.Error("accounts", $"key 'accounts' names '{name}', but there is no [account {name}]");
            if (active.Contains(account))
                throw general.Error("accounts", $"key 'accounts' names '{name}' twice");
            active.Add(account);
        }
        return active;
    }
}
