namespace ImapProxy.Configuration;

/// <summary>One <c>key = value</c> setting and where it came from.</summary>
/// <param name="Key">The key, lower-cased (keys are case-insensitive, as in OfflineIMAP).</param>
/// <param name="RawValue">The value as written, comments removed, quotes kept (see <see cref="IniValue"/>).</param>
/// <param name="Origin">Where it was set: <c>file:line</c> or an environment variable's name.</param>
/// <param name="Verbatim">True for environment overrides: a single value is taken exactly as given, quotes and all.</param>
internal sealed record IniEntry(string Key, string RawValue, string Origin, bool Verbatim = false);

/// <summary>A <c>[section]</c> with its settings in file order.</summary>
internal sealed class IniSection(string header, string origin)
{
    private readonly List<IniEntry> _entries = [];

    /// <summary>The text between the brackets, with inner whitespace collapsed: <c>general</c>, <c>account personal</c>.</summary>
    public string Header { get; } = header;

    /// <summary>Where the header line is (<c>file:line</c>); missing keys are reported here.</summary>
    public string Origin { get; } = origin;

    public IReadOnlyList<IniEntry> Entries => _entries;

    public IniEntry? Find(string key) => _entries.Find(e => e.Key == key);

    public void Add(IniEntry entry) => _entries.Add(entry);

    /// <summary>Sets or replaces a key (environment overrides); an empty value removes it.</summary>
    public void Override(IniEntry entry)
    {
        _entries.RemoveAll(e => e.Key == entry.Key);
        if (entry.RawValue.Length > 0)
            _entries.Add(entry);
    }
}

/// <summary>An INI file as sections of entries; knows nothing of what the keys mean.</summary>
internal sealed class IniDocument
{
    private readonly List<IniSection> _sections = [];

    public IniDocument(string displayPath) => DisplayPath = displayPath;

    /// <summary>The file's path as shown in messages.</summary>
    public string DisplayPath { get; }

    public IReadOnlyList<IniSection> Sections => _sections;

    public IniSection? Find(string header) => _sections.Find(s => s.Header == header);

    public void Add(IniSection section) => _sections.Add(section);
}
