using System.Globalization;
using System.Net;

namespace ImapProxy.Configuration;

/// <summary>
/// Typed access to one section's keys. Every failure is a <see cref="ConfigException"/> at the offending entry's
/// origin; a missing required key is reported at the section header.
/// </summary>
internal sealed class SectionReader
{
    private readonly IniSection _section;

    public SectionReader(IniSection section, IReadOnlySet<string> knownKeys, ConfigPaths paths)
    {
        _section = section;
        Paths = paths;
        foreach (var entry in section.Entries)
        {
            if (!knownKeys.Contains(entry.Key))
                throw new ConfigException(entry.Origin, $"key '{IniReader.Shorten(entry.Key)}' is not known in [{section.Header}]");
        }
    }

    public ConfigPaths Paths { get; }

    /// <summary>Where the section header is.</summary>
    public string Origin => _section.Origin;

    /// <summary>The section as written in messages: <c>[account personal]</c>.</summary>
    public string Name => $"[{_section.Header}]";

    public IniEntry? Entry(string key) => _section.Find(key);

    /// <summary>Of two keys that conflict, the one set later (an environment override comes after the file).</summary>
    public string LaterOf(string first, string second)
    {
        var entries = _section.Entries.Select(e => e.Key).ToList();
        return entries.IndexOf(first) > entries.IndexOf(second) ? first : second;
    }

    public ConfigException Error(string key, string problem) =>
        new(_section.Find(key)?.Origin ?? _section.Origin, problem);

    public string? String(string key)
    {
        if (Entry(key) is not { } entry)
            return null;
        var value = IniValue.Scalar(entry);
        return value.Length > 0 ? value : throw new ConfigException(entry.Origin, $"key '{key}' is empty in {Name}");
    }

    public string Required(string key) =>
        String(key) ?? throw new ConfigException(Origin, $"required key '{key}' is missing in {Name}");

    public int? Int(string key, int min, int max)
    {
        if (String(key) is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
            return value;
        throw Error(key, $"key '{key}' must be a whole number from {min} to {max}, not '{IniReader.Shorten(text)}'");
    }

    public bool? Bool(string key)
    {
        if (String(key) is not { } text)
            return null;
        return text.ToLowerInvariant() switch
        {
            "yes" or "true" or "on" or "1" => true,
            "no" or "false" or "off" or "0" => false,
            _ => throw Error(key, $"key '{key}' must be yes or no, not '{IniReader.Shorten(text)}'"),
        };
    }

    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        if (String(key) is not { } text)
            return null;
        if (choices.TryGetValue(text.ToLowerInvariant(), out var value))
            return value;
        var names = string.Join(", ", choices.Keys);
        throw Error(key, $"key '{key}' must be one of {names}, not '{IniReader.Shorten(text)}'");
    }

    public IReadOnlyList<string>? List(string key, bool commas = false)
    {
        if (Entry(key) is not { } entry)
            return null;
        var items = IniValue.List(entry, commas);
        return items.Count > 0 ? items : throw new ConfigException(entry.Origin, $"key '{key}' is empty in {Name}");
    }

    public string? Path(string key)
    {
        if (String(key) is not { } text)
            return null;
        return Paths.Resolve(text) ?? throw Error(key,
            $"key '{key}': only '~' and '~/' are expanded, not '{IniReader.Shorten(text)}'");
    }

    public string? ExistingFile(string key)
    {
        var path = Path(key);
        if (path is not null && !File.Exists(path))
            throw Error(key, $"key '{key}': file '{path}' does not exist");
        return path;
    }

    public IPEndPoint? Endpoint(string key)
    {
        if (String(key) is not { } text)
            return null;
        return ParseEndpoint(text) ?? throw Error(key,
            $"key '{key}' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not '{IniReader.Shorten(text)}'");
    }

    private static IPEndPoint? ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture,
                out var port) || port > IPEndPoint.MaxPort)
            return null;
        var host = text[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new IPEndPoint(IPAddress.Loopback, port);
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':'))
            return null; // An IPv6 address needs brackets, or its last group would be taken for the port.
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;
    }
}
