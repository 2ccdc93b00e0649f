using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Commands;

/// <summary>
/// LIST and LSUB (RFC 3501 §6.3.8–9) with LIST-EXTENDED (RFC 5258: selection and return options, several
/// patterns), CHILDREN (RFC 3348), SPECIAL-USE (RFC 6154) and LIST-STATUS (RFC 5819).
/// </summary>
internal sealed class ListCommand : ICommandHandler
{
    private readonly bool _lsub;

    public ListCommand(bool lsub) => _lsub = lsub;

    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var args = context.Args;
        var options = new ListOptions { SubscribedOnly = _lsub };
        if (!_lsub && args.NextIsList)
        {
            options.ParseSelection(args.List("LIST selection options"));
        }
        var reference = MailboxNames.FromWireRaw(args.Astring("reference name"));
        var patterns = new List<string>();
        if (!_lsub && args.NextIsList)
        {
            patterns.AddRange(args.List("mailbox patterns").Select(p => p.IsAstring ? MailboxNames.FromWireRaw(p.AsString()!) : throw new CommandSyntaxException("Bad mailbox pattern")));
        }
        else
        {
            patterns.Add(MailboxNames.FromWireRaw(args.Astring("mailbox pattern")));
        }
        if (!_lsub && args.TryKeyword("RETURN"))
        {
            options.ParseReturn(args.List("LIST return options"));
        }
        args.End();

        if (patterns.Count == 1 && patterns[0].Length == 0)
        {
            // RFC 3501: an empty pattern asks for the hierarchy separator.
            context.Writer.Untagged("LIST (\\Noselect) \"/\" \"\"");
            return CommandResult.Ok($"{(_lsub ? "LSUB" : "LIST")} completed");
        }
        var folders = await context.Account.ListFoldersAsync(context.CancellationToken).ConfigureAwait(false);
        var subscribed = (options.SubscribedOnly || options.ReturnSubscribed)
            ? new HashSet<string>(await Subscriptions.GetAsync(context.Account, context.CancellationToken).ConfigureAwait(false), StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var matchers = patterns.Select(p => new MailboxPattern(reference, p)).ToList();
        var names = folders.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in folders.OrderBy(f => f.Name == MailboxNames.Inbox ? "" : f.Name, StringComparer.Ordinal))
        {
            if (!matchers.Any(m => m.Matches(folder.Name)))
            {
                continue;
            }
            bool isSubscribed = subscribed.Contains(folder.Name);
            if (options.SubscribedOnly && !isSubscribed)
            {
                continue;
            }
            var specialUse = SpecialUse.Of(folder.Name);
            if (options.SpecialUseOnly && specialUse is null)
            {
                continue;
            }
            var attributes = new List<string>();
            if (!folder.Selectable)
            {
                attributes.Add("\\Noselect");
            }
            if (!_lsub)
            {
                attributes.Add(names.Any(n => n.StartsWith(folder.Name + "/", StringComparison.Ordinal)) ? "\\HasChildren" : "\\HasNoChildren");
            }
            if (isSubscribed && (options.ReturnSubscribed || options.SubscribedOnly) && !_lsub)
            {
                attributes.Add("\\Subscribed");
            }
            if (specialUse is not null && !_lsub)
            {
                attributes.Add(specialUse);
            }
            var writer = context.Writer;
            writer.Ascii(_lsub ? "* LSUB (" : "* LIST (").Ascii(string.Join(' ', attributes)).Bytes(") \"/\" "u8)
                .AString(MailboxNames.ToWire(folder.Name)).EndLine();
            if (options.StatusItems is { } items && folder.Selectable)
            {
                var opened = await context.Account.OpenFolderAsync(folder.Name, context.CancellationToken).ConfigureAwait(false);
                await StatusItems.WriteAsync(context, opened, items).ConfigureAwait(false);
            }
            await writer.FlushIfFullAsync(context.CancellationToken).ConfigureAwait(false);
        }
        return CommandResult.Ok($"{(_lsub ? "LSUB" : "LIST")} completed");
    }

    private sealed class ListOptions
    {
        public bool SubscribedOnly { get; set; }

        public bool SpecialUseOnly { get; private set; }

        public bool ReturnSubscribed { get; private set; }

        public IReadOnlyList<string>? StatusItems { get; private set; }

        public void ParseSelection(IReadOnlyList<ImapValue> items)
        {
            foreach (var item in items)
            {
                if (item.IsAtom("SUBSCRIBED"))
                {
                    SubscribedOnly = true;
                }
                else if (item.IsAtom("SPECIAL-USE"))
                {
                    SpecialUseOnly = true;
                }
                else if (!item.IsAtom("REMOTE") && !item.IsAtom("RECURSIVEMATCH"))
                {
                    throw new CommandSyntaxException($"Unknown LIST selection option {ImapSession.Printable(item.ToString())}");
                }
            }
        }

        public void ParseReturn(IReadOnlyList<ImapValue> items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i].IsAtom("SUBSCRIBED"))
                {
                    ReturnSubscribed = true;
                }
                else if (items[i].IsAtom("STATUS") && i + 1 < items.Count && items[i + 1].IsList)
                {
                    StatusItems = Commands.StatusItems.Parse(items[++i].Items);
                }
                else if (!items[i].IsAtom("CHILDREN") && !items[i].IsAtom("SPECIAL-USE"))
                {
                    throw new CommandSyntaxException($"Unknown LIST return option {ImapSession.Printable(items[i].ToString())}");
                }
            }
        }
    }
}

/// <summary>A LIST pattern: reference and mailbox pattern joined; <c>*</c> matches anything, <c>%</c> anything but "/".</summary>
internal sealed class MailboxPattern
{
    private readonly string _pattern;

    public MailboxPattern(string reference, string pattern)
    {
        _pattern = reference.Length > 0 && !reference.EndsWith('/') && pattern.Length > 0 && !pattern.StartsWith('/')
            ? reference + "/" + pattern
            : reference + pattern;
    }

    public bool Matches(string name) => Match(_pattern, 0, name, 0) || (_pattern.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && Match("INBOX" + _pattern[5..], 0, name, 0));

    private static bool Match(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            char c = pattern[p];
            if (c is '*' or '%')
            {
                for (int k = n; k <= name.Length; k++)
                {
                    if (Match(pattern, p + 1, name, k))
                    {
                        return true;
                    }
                    if (k < name.Length && c == '%' && name[k] == '/')
                    {
                        return false;
                    }
                }
                return false;
            }
            if (n >= name.Length || name[n] != c)
            {
                return false;
            }
            p++;
            n++;
        }
        return n == name.Length;
    }
}

/// <summary>SPECIAL-USE attributes (RFC 6154) for the usual folder names, as the synchronizer mirrors them.</summary>
internal static class SpecialUse
{
    private static readonly Dictionary<string, string> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sent"] = "\\Sent", ["Sent Items"] = "\\Sent", ["Sent Messages"] = "\\Sent",
        ["Drafts"] = "\\Drafts", ["Trash"] = "\\Trash", ["Deleted Items"] = "\\Trash",
        ["Junk"] = "\\Junk", ["Spam"] = "\\Junk", ["Archive"] = "\\Archive", ["All Mail"] = "\\All", ["Flagged"] = "\\Flagged",
    };

    public static string? Of(string folderName)
    {
        var leaf = folderName.StartsWith("[Gmail]/", StringComparison.Ordinal) ? folderName[8..] : folderName;
        return leaf.Contains('/') ? null : ByName.GetValueOrDefault(leaf);
    }
}
