namespace ImapProxy.Configuration;

/// <summary>
/// Resolves paths the way the configuration documents them: <c>~</c> and <c>~/…</c> are the home directory, a
/// relative path is relative to the configuration file's directory, and XDG base directories are honoured.
/// </summary>
public sealed class ConfigPaths
{
    private readonly IReadOnlyDictionary<string, string> _environment;

    /// <summary>Creates a resolver for a configuration file.</summary>
    /// <param name="configDirectory">Directory relative paths are resolved against.</param>
    /// <param name="environment">The environment (<c>HOME</c>, <c>XDG_*</c>).</param>
    public ConfigPaths(string configDirectory, IReadOnlyDictionary<string, string> environment)
    {
        ConfigDirectory = configDirectory;
        _environment = environment;
    }

    /// <summary>Directory relative paths are resolved against.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The home directory: <c>$HOME</c>, else the OS's idea of it.</summary>
    public string Home => HomeOf(_environment);

    /// <summary>The default Maildir root, <c>~/Mail</c>.</summary>
    public string DefaultMaildir => System.IO.Path.Combine(Home, "Mail");

    /// <summary>The default state directory: <c>$XDG_STATE_HOME/imapproxy</c>, else <c>~/.local/state/imapproxy</c>.</summary>
    public string DefaultStateDir => System.IO.Path.Combine(
        XdgDirectory(_environment, "XDG_STATE_HOME") ?? System.IO.Path.Combine(Home, ".local", "state"), "imapproxy");

    /// <summary>Expands <c>~</c> and makes the path absolute; null for <c>~user</c> forms, which are not supported.</summary>
    public string? Resolve(string path)
    {
        if (path == "~")
            return Home;
        if (path.StartsWith("~/", StringComparison.Ordinal))
            path = System.IO.Path.Combine(Home, path[2..]);
        else if (path.StartsWith('~'))
            return null;
        return System.IO.Path.GetFullPath(path, ConfigDirectory);
    }

    /// <summary>
    /// The configuration file used when no <c>--config</c> is given: <c>$IMAPPROXY_CONFIG</c>, else
    /// <c>$XDG_CONFIG_HOME/imapproxy/config.ini</c>, else <c>~/.config/imapproxy/config.ini</c>.
    /// </summary>
    public static string DefaultConfigFile(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("IMAPPROXY_CONFIG", out var explicitPath) && explicitPath.Length > 0)
            return explicitPath;
        var configHome = XdgDirectory(environment, "XDG_CONFIG_HOME")
                         ?? System.IO.Path.Combine(HomeOf(environment), ".config");
        return System.IO.Path.Combine(configHome, "imapproxy", "config.ini");
    }

    private static string HomeOf(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("HOME", out var home) && home.Length > 0
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    // The XDG spec says relative values are invalid and must be ignored.
    private static string? XdgDirectory(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && System.IO.Path.IsPathRooted(value) ? value : null;
}
