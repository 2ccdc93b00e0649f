namespace ImapProxy.Store.Mime;

/// <summary>
/// The MIME header fields of one part as BODYSTRUCTURE needs them. Strings hold the raw field text
/// (unfolded, header bytes decoded as Latin-1 so that 8-bit bytes round-trip); null means the field was absent.
/// </summary>
public sealed class ContentFields
{
    /// <summary>Content-Type type as written (case kept), or null when absent or unparsable.</summary>
    public string? Type { get; internal set; }

    /// <summary>Content-Type subtype as written, or null.</summary>
    public string? Subtype { get; internal set; }

    /// <summary>Content-Type parameters in order, RFC 2231 continuations joined.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; internal set; } = [];

    /// <summary>Content-Transfer-Encoding token as written, or null.</summary>
    public string? TransferEncoding { get; internal set; }

    /// <summary>Content-ID value, or null.</summary>
    public string? Id { get; internal set; }

    /// <summary>Content-Description value, or null.</summary>
    public string? Description { get; internal set; }

    /// <summary>Content-MD5 value, or null.</summary>
    public string? Md5 { get; internal set; }

    /// <summary>Content-Disposition token, or null.</summary>
    public string? Disposition { get; internal set; }

    /// <summary>Content-Disposition parameters, RFC 2231 continuations joined.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DispositionParameters { get; internal set; } = [];

    /// <summary>Content-Language tags, or null when absent.</summary>
    public IReadOnlyList<string>? Languages { get; internal set; }

    /// <summary>Content-Location value, or null.</summary>
    public string? Location { get; internal set; }

    /// <summary>The value of a Content-Type parameter (case-insensitive name), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}
