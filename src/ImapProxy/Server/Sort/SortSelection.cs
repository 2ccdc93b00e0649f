using ImapProxy.Protocol;
using ImapProxy.Server.Search;
using ImapProxy.Store;

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
    /// or thread-alg), then SP and the charset; throws <see cref="CommandSyntaxException"/> on bad syntax. With
    /// <paramref name="mayReturn"/>, an ESORT <c>RETURN (…) SP</c> before the criteria is passed over (its options
    /// are read by <see cref="EsearchResponse.ReadReturnOptions"/>).</summary>
    public static string ReadHead(ImapCommand command, ReadHeadRule readFirst, string what, bool mayReturn = false)
    {
        var reader = command.CreateArgumentReader();
        var s = reader.TryReadSpace();
        if (s == ParseStatus.Ok && mayReturn && reader.TryPeek(out var next) && next != '(')
        {
            s = reader.TryReadAtom(out string word);
            if (s == ParseStatus.Ok && !word.Equals("RETURN", StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandSyntaxException($"{what}: expected RETURN or sort criteria");
            }
            if (s == ParseStatus.Ok) s = reader.TryReadSpace();
            if (s == ParseStatus.Ok) s = reader.TryReadList(out _);
            if (s == ParseStatus.Ok) s = reader.TryReadSpace();
        }
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

    /// <summary>Runs the search program (the generic arguments after the first two) and loads the sort fields
    /// (<paramref name="parts"/> of them) of every match from the index. Returns whether the program used MODSEQ.</summary>
    public static async Task<(List<SortMessage> Messages, bool UsesModSeq)> LoadAsync(CommandContext context, SortFieldParts parts)
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
        // Matches ascend by sequence number, so their UIDs ascend too, as GetSortFieldsAsync wants them.
        var present = new List<uint>(matches.Count);
        foreach (var seq in matches)
        {
            var uid = selected[seq].Uid;
            if (!selected.IsExpungedPending(uid))
            {
                present.Add(uid);
            }
        }
        var fields = await selected.Folder.GetSortFieldsAsync(present, parts, context.CancellationToken).ConfigureAwait(false);
        var messages = new List<SortMessage>(matches.Count);
        var next = 0;
        foreach (var seq in matches)
        {
            var info = selected[seq];
            // A message expunged by another session sorts as one with no fields.
            var own = next < present.Count && present[next] == info.Uid ? fields[next++] : SortFields.Empty;
            messages.Add(new SortMessage(seq, info, own));
        }
        return (messages, usesModSeq);
    }
}

/// <summary>A grammar rule read by <see cref="SortSelection.ReadHead"/>.</summary>
internal delegate ParseStatus ReadHeadRule(ref ImapReader reader);
