using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    /// <summary>
    /// UID SEARCH with raw criteria (e.g. "ALL", "MODSEQ 1234", "SINCE 1-Jan-2024"). With ESEARCH the answer is
    /// compact (ranges) and correlated by tag, so several searches can be in flight; without it, one at a time.
    /// </summary>
    public async Task<SearchResult> UidSearchAsync(string criteria, CancellationToken cancellationToken = default)
    {
        var esearch = Has("ESEARCH");
        var builder = new CommandBuilder("UID SEARCH").Raw(esearch ? $"UID SEARCH RETURN (ALL COUNT) {criteria}" : $"UID SEARCH {criteria}");
        var result = new SearchResult();
        string? tag = null;
        var uids = new List<uint>();
        await RunOkAsync(builder, exclusive: !esearch, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword == "SEARCH" && !esearch)
            {
                foreach (var value in ResponseData.Values(line, frame))
                {
                    if (value.IsList)
                    {
                        // (MODSEQ n) at the end, RFC 7162 §3.1.5.
                        if (value.Items.Count == 2) result.ModSeq = ResponseData.Number64(value.Items[1], "MODSEQ");
                        continue;
                    }
                    uids.Add(ResponseData.Number(value, "SEARCH UID"));
                }
                return true;
            }
            if (line.Keyword != "ESEARCH" || !esearch) return false;
            var values = ResponseData.Values(line, frame);
            var start = 0;
            if (values.Length > 0 && values[0].IsList)
            {
                // (TAG "A12") correlates the answer with its command.
                var correlator = values[0].Items;
                if (correlator.Count == 2 && tag is not null && correlator[1].AsString() != tag) return false;
                start = 1;
            }
            for (var i = start; i < values.Length; i++)
            {
                if (values[i].IsAtom("UID")) continue;
                if (i + 1 >= values.Length) break;
                var name = values[i].AsString()?.ToUpperInvariant();
                var value = values[++i];
                switch (name)
                {
                    case "ALL": result.Uids = ResponseData.Set(value, "ESEARCH ALL"); break;
                    case "COUNT": result.Count = ResponseData.Number(value, "ESEARCH COUNT"); break;
                    case "MIN": result.Min = ResponseData.Number(value, "ESEARCH MIN"); break;
                    case "MAX": result.Max = ResponseData.Number(value, "ESEARCH MAX"); break;
                    case "MODSEQ": result.ModSeq = ResponseData.Number64(value, "ESEARCH MODSEQ"); break;
                }
            }
            return true;
        }, sent: command => tag = command.Tag).ConfigureAwait(false);
        if (!esearch)
        {
            uids.Sort();
            result.Uids = new UidSet(uids);
            result.Count = (uint)uids.Count;
        }
        return result;
    }
}
