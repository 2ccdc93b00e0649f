namespace ImapProxy.Configuration;

/// <summary>Warns when a configuration file holding passwords can be read by other users.</summary>
internal static class ConfigFileSecurity
{
    private const UnixFileMode GroupOrOthersRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The one-line warning, or null when the file holds no password or only its owner can read it.</summary>
    public static string? WarningFor(string fullPath, IniDocument document)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var secretKeys = document.Sections
            .SelectMany(s => s.Entries)
            .Select(e => e.Key)
            .Where(ConfigKeys.Secrets.Contains)
            .Distinct()
            .ToArray();
        if (secretKeys.Length == 0)
            return null;
        var mode = File.GetUnixFileMode(fullPath);
        if ((mode & GroupOrOthersRead) == 0)
            return null;
        return $"warning: {document.DisplayPath} holds {string.Join(" and ", secretKeys.Select(k => $"'{k}'"))} "
               + $"but group or others can read it; run: chmod 600 {fullPath}";
    }
}
