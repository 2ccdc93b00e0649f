using System.Security.Cryptography;
using System.Text;

namespace ImapProxy.Store.Maildir;

/// <summary>Maildir file names: unique base names, and the <c>:2,FLAGS</c> info part.</summary>
internal static class MaildirFileName
{
    private const string InfoSeparator = ":2,";
    private static long s_counter;
    private static readonly int s_pid = Environment.ProcessId;

    /// <summary>
    /// A collision-proof base name <c>&lt;seconds&gt;.M&lt;micro&gt;P&lt;pid&gt;Q&lt;counter&gt;R&lt;random&gt;.&lt;host&gt;</c>
    /// (the Maildir spec's fields, as Dovecot writes them, plus random bits against pid reuse).
    /// </summary>
    public static string NewBaseName(string sanitizedHost)
    {
        long ticks = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = ticks / TimeSpan.TicksPerSecond;
        long micro = ticks % TimeSpan.TicksPerSecond / 10;
        long counter = Interlocked.Increment(ref s_counter);
        uint random = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        // Six digits of microseconds, so names made within one second sort (ordinally, as adoption after an index loss
        // orders them) in the order they were made; unpadded, "M999" sorted after "M1000" and a rebuild renumbered them.
        return $"{seconds}.M{micro:D6}P{s_pid}Q{counter}R{random:x8}.{sanitizedHost}";
    }

    /// <summary>The Maildir spec's host sanitising: <c>/</c> → <c>\057</c>, <c>:</c> → <c>\072</c>.</summary>
    public static string SanitizeHost(string host)
    {
        var sb = new StringBuilder(host.Length);
        foreach (char c in host)
        {
            if (c == '/') sb.Append(@"\057");
            else if (c == ':') sb.Append(@"\072");
            else if (char.IsControl(c)) sb.Append('_');
            else sb.Append(c);
        }
        return sb.Length == 0 ? "localhost" : sb.ToString();
    }

    /// <summary>The part before <c>:2,</c> (or the whole name if there is none).</summary>
    public static string BaseName(string fileName)
    {
        int i = fileName.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return i < 0 ? fileName : fileName[..i];
    }

    /// <summary>The flag letters after <c>:2,</c>, split into known flags and the letters we do not know (kept as they are).</summary>
    public static MessageFlags ParseFlags(string fileName, out string otherLetters)
    {
        otherLetters = "";
        int i = fileName.IndexOf(InfoSeparator, StringComparison.Ordinal);
        if (i < 0) return MessageFlags.None;
        var flags = MessageFlags.None;
        StringBuilder? others = null;
        foreach (char c in fileName.AsSpan(i + InfoSeparator.Length))
        {
            var flag = FlagOf(c);
            if (flag != MessageFlags.None) flags |= flag;
            else if (c != ',') (others ??= new StringBuilder()).Append(c);
        }
        otherLetters = others?.ToString() ?? "";
        return flags;
    }

    /// <summary>Only the known flags of a file name.</summary>
    public static MessageFlags ParseFlags(string fileName) => ParseFlags(fileName, out _);

    /// <summary><paramref name="baseName"/><c>:2,</c> and the letters sorted in ASCII order, as the spec asks.</summary>
    public static string Compose(string baseName, MessageFlags flags, string otherLetters)
    {
        var letters = new List<char>(8);
        if (flags.HasFlag(MessageFlags.Draft)) letters.Add('D');
        if (flags.HasFlag(MessageFlags.Flagged)) letters.Add('F');
        if (flags.HasFlag(MessageFlags.Answered)) letters.Add('R');
        if (flags.HasFlag(MessageFlags.Seen)) letters.Add('S');
        if (flags.HasFlag(MessageFlags.Deleted)) letters.Add('T');
        foreach (char c in otherLetters)
            if (!letters.Contains(c)) letters.Add(c);
        letters.Sort((a, b) => a.CompareTo(b));
        return baseName + InfoSeparator + new string(letters.ToArray());
    }

    /// <summary>
    /// What identifies one message across renames by other tools: the base name without the UID and checksum
    /// fields that mbsync (<c>,U=123</c>) and OfflineIMAP (<c>,U=123,FMD5=…</c>) add, change or drop when they move files.
    /// </summary>
    public static string IdentityKey(string fileName)
    {
        string baseName = BaseName(fileName);
        if (baseName.IndexOf(',') < 0) return baseName;
        var sb = new StringBuilder(baseName.Length);
        foreach (var part in baseName.Split(','))
        {
            if (sb.Length > 0 && (part.StartsWith("U=", StringComparison.Ordinal) || part.StartsWith("FMD5=", StringComparison.Ordinal)))
                continue;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(part);
        }
        return sb.ToString();
    }

    private static MessageFlags FlagOf(char c) => c switch
    {
        'S' => MessageFlags.Seen,
        'R' => MessageFlags.Answered,
        'F' => MessageFlags.Flagged,
        'T' => MessageFlags.Deleted,
        'D' => MessageFlags.Draft,
        _ => MessageFlags.None,
    };
}
