namespace ImapProxy.Server.Search;

/// <summary>Runs a parsed SEARCH program over the selected mailbox; shared by SEARCH, SORT and THREAD.</summary>
internal static class SearchRunner
{
    /// <summary>The sequence numbers of the matching messages, ascending.</summary>
    public static async Task<List<int>> MatchAsync(SelectedMailbox selected, SearchKey program, CancellationToken cancellationToken)
    {
        var matches = new List<int>();
        for (int seq = 1; seq <= selected.Count; seq++)
        {
            var info = selected[seq];
            var message = new SearchMessage(seq, info, selected.IsRecent(info.Uid));
            if (program.NeedsContent && !selected.IsExpungedPending(info.Uid))
            {
                await SearchContent.LoadAsync(selected.Folder, message, cancellationToken).ConfigureAwait(false);
            }
            if (program.Matches(message))
            {
                matches.Add(seq);
            }
        }
        return matches;
    }
}
