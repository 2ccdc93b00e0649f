using System.Reflection;

namespace ImapProxy.TestSupport;

/// <summary>
/// Renders dovecot.conf.template, the one config shared with scripts/dovecot-testbed, for a test bed directory.
/// </summary>
internal static class DovecotConfig
{
    /// <summary>What Dovecot 2.3.19 advertises after LOGIN with the template's settings.</summary>
    public static readonly IReadOnlyList<string> DefaultCapabilities =
    [
        "IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE", "SORT", "SORT=DISPLAY",
        "THREAD=REFERENCES", "THREAD=REFS", "THREAD=ORDEREDSUBJECT", "MULTIAPPEND", "URL-PARTIAL", "CATENATE",
        "UNSELECT", "CHILDREN", "NAMESPACE", "UIDPLUS", "LIST-EXTENDED", "I18NLEVEL=1", "CONDSTORE", "QRESYNC",
        "ESEARCH", "ESORT", "SEARCHRES", "WITHIN", "CONTEXT=SEARCH", "LIST-STATUS", "BINARY", "MOVE",
        "SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW", "STATUS=SIZE", "SAVEDATE", "LITERAL+", "NOTIFY", "SPECIAL-USE",
    ];

    private static readonly Lazy<string> Template = new(LoadTemplate);

    public static string Render(string directory, int port, int tlsPort, uint uid, uint gid, DovecotOptions options)
    {
        var extra = new List<string>();
        if (options.Tls)
        {
            // The master reads these as root ("<" = file contents), so the key may stay private.
            extra.Add($"ssl_cert = <{Path.Combine(directory, "cert.pem")}");
            extra.Add($"ssl_key = <{Path.Combine(directory, "key.pem")}");
        }
        if (options.Compress) extra.Add("protocol imap {\n  mail_plugins = $mail_plugins imap_zlib\n}");
        var capabilityLine = "";
        if (options.HiddenCapabilities.Count > 0)
        {
            var hidden = new HashSet<string>(options.HiddenCapabilities, StringComparer.OrdinalIgnoreCase);
            var kept = DefaultCapabilities.Where(c => !hidden.Contains(c));
            capabilityLine = "imap_capability = " + string.Join(' ', kept);
        }
        return Template.Value
            .Replace("@DIR@", directory, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@UID@", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@GID@", gid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@SEPARATOR@", options.Separator.ToString(), StringComparison.Ordinal)
            .Replace("@CAPABILITY_LINE@", capabilityLine, StringComparison.Ordinal)
            .Replace("@SSL@", options.Tls ? "yes" : "no", StringComparison.Ordinal)
            .Replace("@IMAPS_PORT@", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@EXTRA_LINES@", string.Join('\n', extra), StringComparison.Ordinal);
    }

    private static string LoadTemplate()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ImapProxy.TestSupport.dovecot.conf.template")
            ?? throw new InvalidOperationException("dovecot.conf.template is not embedded in TestSupport");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
