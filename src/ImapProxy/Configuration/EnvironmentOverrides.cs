namespace ImapProxy.Configuration;

/// <summary>
/// Applies environment variables over the file's settings:
/// <c>IMAPPROXY__GENERAL__KEY=value</c> sets a <c>[general]</c> key and
/// <c>IMAPPROXY__ACCOUNT__NAME__KEY=value</c> a key of <c>[account NAME]</c> (NAME is case-sensitive, KEY is not).
/// An empty value removes the key, e.g. to replace a file's <c>passwordcommand</c> by an environment <c>password</c>.
/// Values are taken verbatim (no quotes or comments); lists are still split on whitespace.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "IMAPPROXY__";

    public static void Apply(IniDocument document, IReadOnlyDictionary<string, string> environment)
    {
        // Sorted so that, with several bad variables, the same one is reported every time. A plain loop: LINQ over
        // the dictionary's key-value pairs is generic code over a struct that every start-up compiled anew.
        var variables = new List<string>();
        foreach (var name in environment.Keys)
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
                variables.Add(name);
        }
        variables.Sort(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var value = environment[variable];
            var (header, key) = Target(variable);
            var section = document.Find(header);
            if (section is null)
            {
                if (header != "general")
                    throw new ConfigException(variable,
                        $"there is no [{IniReader.Shorten(header)}] section in {document.DisplayPath} to override");
                section = new IniSection("general", variable);
                document.Add(section);
            }
            section.Override(new IniEntry(key, value, variable, Verbatim: true));
        }
    }

    private static (string Header, string Key) Target(string variable)
    {
        var parts = variable[Prefix.Length..].Split("__");
        var key = parts[^1].ToLowerInvariant();
        if (parts.Length == 2 && parts[0].Equals("GENERAL", StringComparison.OrdinalIgnoreCase) && key.Length > 0)
            return ("general", key);
        if (parts.Length >= 3 && parts[0].Equals("ACCOUNT", StringComparison.OrdinalIgnoreCase) && key.Length > 0)
        {
            var name = string.Join("__", parts[1..^1]);
            if (name.Length > 0)
                return ($"account {name}", key);
        }
        throw new ConfigException(variable,
            "expected IMAPPROXY__GENERAL__KEY or IMAPPROXY__ACCOUNT__NAME__KEY");
    }
}
