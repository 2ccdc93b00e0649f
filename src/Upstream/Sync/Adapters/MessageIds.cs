namespace ImapProxy.Upstream.Sync.Adapters;

/// <summary>One normal form for Message-ID values, so both sides' identities compare equal.</summary>
public static class MessageIds
{
    /// <summary>Unfolded, trimmed, inner whitespace removed; null for absent or blank.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return string.Concat(value.Where(c => !char.IsWhiteSpace(c)));
    }
}
