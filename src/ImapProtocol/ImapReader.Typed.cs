using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    /// <summary>mailbox = "INBOX" / astring, decoded from modified UTF-7 (or taken as UTF-8 when
    /// <paramref name="utf8"/>, i.e. UTF8=ACCEPT is enabled); INBOX in any case becomes "INBOX".</summary>
    public ParseStatus TryReadMailbox(out string name, bool utf8 = false)
    {
        name = "";
        var s = TryReadAstring(out ReadOnlyMemory<byte> raw);
        return s != ParseStatus.Ok ? s : DecodeMailbox(raw.Span, utf8, out name);
    }

    /// <summary>list-mailbox = 1*list-char / string (a LIST pattern with % and *), decoded like a mailbox.</summary>
    public ParseStatus TryReadListMailbox(out string pattern, bool utf8 = false)
    {
        pattern = "";
        if (!_r.TryPeek(out var b)) return NeedMore();
        ReadOnlyMemory<byte> raw;
        ParseStatus s;
        if (b == '"' || b == '{' || b == '~') s = TryReadString(out raw);
        else
        {
            s = TryReadToken(ImapChars.ListMailbox, "list-mailbox", out var seq);
            raw = s == ParseStatus.Ok ? Materialize(seq) : default;
        }
        return s != ParseStatus.Ok ? s : DecodeMailbox(raw.Span, utf8, out pattern);
    }

    private ParseStatus DecodeMailbox(ReadOnlySpan<byte> raw, bool utf8, out string name)
    {
        name = "";
        if (utf8)
        {
            if (!System.Text.Unicode.Utf8.IsValid(raw)) return Fail("mailbox name is not valid UTF-8");
            name = MailboxName.NormalizeInbox(Encoding.UTF8.GetString(raw));
            return ParseStatus.Ok;
        }
        if (!MailboxName.TryDecodeUtf7(raw, out var decoded, out var error)) return Fail(error!);
        name = MailboxName.NormalizeInbox(decoded!);
        return ParseStatus.Ok;
    }

    /// <summary>date = date-text / DQUOTE date-text DQUOTE (SEARCH BEFORE, ON, SINCE…).</summary>
    public ParseStatus TryReadDate(out DateOnly date)
    {
        date = default;
        if (!_r.TryPeek(out var b)) return NeedMore();
        ReadOnlyMemory<byte> text;
        ParseStatus s;
        if (b == '"') s = TryReadQuoted(out text);
        else
        {
            s = TryReadToken(ImapChars.Atom, "date", out var seq);
            text = s == ParseStatus.Ok ? Materialize(seq) : default;
        }
        if (s != ParseStatus.Ok) return s;
        return ImapDate.TryParseDate(text.Span, out date) ? ParseStatus.Ok : Fail("invalid date");
    }

    /// <summary>date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE.</summary>
    public ParseStatus TryReadDateTime(out DateTimeOffset value)
    {
        value = default;
        var s = TryReadQuoted(out var text);
        if (s != ParseStatus.Ok) return s;
        return ImapDate.TryParseDateTime(text.Span, out value) ? ParseStatus.Ok : Fail("invalid date-time");
    }

    /// <summary>flag = "\" atom (system flag or extension) / flag-keyword; with <paramref name="allowWildcard"/>
    /// also "\*" (flag-perm). System flags come back in canonical case.</summary>
    public ParseStatus TryReadFlag(out string flag, bool allowWildcard = false)
    {
        flag = "";
        if (!_r.TryPeek(out var b)) return NeedMore();
        if (b != '\\')
        {
            var s0 = TryReadAtom(out string keyword);
            flag = keyword;
            return s0;
        }
        if (!_r.TryPeek(1, out var next)) return NeedMore();
        if (next == '*')
        {
            if (!allowWildcard) return Fail(@"\* is only allowed in PERMANENTFLAGS");
            _r.Advance(2);
            flag = ImapFlags.Wildcard;
            return ParseStatus.Ok;
        }
        _r.Advance(1);
        var s = TryReadAtom(out string name);
        if (s == ParseStatus.Ok) flag = ImapFlags.Normalize("\\" + name);
        return s;
    }

    /// <summary>flag-list = "(" [flag *(SP flag)] ")".</summary>
    public ParseStatus TryReadFlagList(out IReadOnlyList<string> flags, bool allowWildcard = false)
    {
        flags = [];
        var s = TryReadByte((byte)'(', "'('");
        if (s != ParseStatus.Ok) return s;
        var list = new List<string>();
        while (true)
        {
            if (!_r.TryPeek(out var b)) return NeedMore();
            if (b == ')') { _r.Advance(1); break; }
            if (list.Count > 0 && (s = TryReadSpace()) != ParseStatus.Ok) return s;
            if ((s = TryReadFlag(out var flag, allowWildcard)) != ParseStatus.Ok) return s;
            list.Add(flag);
            if (list.Count > _options.MaxValues) return Fail("too many flags");
        }
        flags = list;
        return ParseStatus.Ok;
    }
}
