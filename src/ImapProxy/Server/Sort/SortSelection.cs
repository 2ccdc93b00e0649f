using ImapProxy.Protocol;
using ImapProxy.Server.Search;

namespace ImapProxy.Server.Sort;

/// <summary>
/// What SORT and THREAD share after their first argument: the charset check, the search program and the
/// headers of the messages it matches.
/// </summary>
internal static class SortSelection
{
    /// <summary>Charsets a search string may be in (the same as SEARCH's).</summary>
    public const string BadCharsetCode = "BADCHARSET (UTF-8 US-ASCII)";

    public static bool IsKnownCharset(string charset) =>
        charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads what follows the SP after the command name with <paramref name="readFirst"/> (sort-criteria
    /// or thread-alg), then SP and the charset; throws <see cref="CommandSyntaxException"/> on bad syntax.</summary>
    public static string ReadHead(ImapCommand command, ReadHeadRule readFirst, string what)
    {
        var reader = command.CreateArgumentReader();
        var s = reader.TryReadSpace();
        if (s == ParseStatus.Ok) s = readFirst(ref reader);
        if (s == ParseStatus.Ok) s = reader.TryReadSpace();
        var charset = "";
        if (s == ParseStatus.Ok) s = reader.TryReadAstring(out charset);
        if (s == ParseStatus.Ok) s = reader.TryReadSpace();
        return s switch
        {
            ParseStatus.Ok => charset,
            ParseStatus.Error => throw new CommandSyntaxException($"{what}: {reader.ErrorMessage}"),
            _ => throw new CommandSyntaxException($"{what}: missing arguments (expected {what} charset search-key...)"),
        };
    }

    /// <summary>Runs the search program (the generic arguments after the first two) and loads the header of every
    /// match. Returns whether the program used MODSEQ.</summary>
    public static async Task<(List<SortMessage> Messages, bool UsesModSeq)> LoadAsync(CommandContext context)
    {
        var args = context.Args;
        args.Next("sort criteria or algorithm");
        args.Next("charset");
        var selected = context.Selected;
        var (program, usesModSeq) = SearchParser.Parse(args.Rest(), selected);
        if (usesModSeq)
        {
            context.Session.CondStoreActive = true;
        }
        var matches = await SearchRunner.MatchAsync(selected, program, context.CancellationToken).ConfigureAwait(false);
        var messages = new List<SortMessage>(matches.Count);
        foreach (var seq in matches)
        {
            var info = selected[seq];
            var fields = selected.IsExpungedPending(info.Uid)
                ? []
                : await SortHeaderLoader.LoadAsync(selected.Folder, info.Uid, context.CancellationToken).ConfigureAwait(false);
            messages.Add(new SortMessage(seq, info, fields));
        }
        return (messages, usesModSeq);
    }
}

/// <summary>A grammar rule read by <see cref="SortSelection.ReadHead"/>.</summary>
internal delegate ParseStatus ReadHeadRule(ref ImapReader reader);
