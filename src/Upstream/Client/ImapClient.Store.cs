using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

/// <summary>How UID STORE changes flags.</summary>
public enum StoreAction
{
    /// <summary>+FLAGS: add.</summary>
    Add,

    /// <summary>-FLAGS: remove.</summary>
    Remove,

    /// <summary>FLAGS: replace.</summary>
    Replace,
}

public sealed partial class ImapClient
{
    /// <summary>
    /// UID STORE. With <paramref name="unchangedSince"/> (CONDSTORE) messages modified since that mod-sequence are
    /// left alone and listed in <see cref="StoreResult.Modified"/>. The new flags and MODSEQ of changed messages are in
    /// <see cref="StoreResult.Updated"/> (servers send them even for .SILENT when CONDSTORE is on).
    /// </summary>
    public async Task<StoreResult> UidStoreAsync(UidSet uids, StoreAction action, IEnumerable<string> flags, ulong? unchangedSince = null,
        CancellationToken cancellationToken = default)
    {
        var verb = action switch { StoreAction.Add => "+FLAGS", StoreAction.Remove => "-FLAGS", _ => "FLAGS" };
        var builder = new CommandBuilder("UID STORE").Raw($"UID STORE {uids} ");
        if (unchangedSince is { } since && (Has("CONDSTORE") || Has("QRESYNC"))) builder.Raw($"(UNCHANGEDSINCE {since}) ");
        builder.Raw($"{verb}.SILENT ({string.Join(' ', flags)})");
        var result = new StoreResult();
        var outcome = await RunOkAsync(builder, exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "FETCH") return false;
            var message = FetchParser.Parse(line, frame);
            if (message.Uid == 0 || !uids.Contains(message.Uid)) return false;
            result.Updated.Add(message);
            return true;
        }).ConfigureAwait(false);
        if (outcome.Code is { } code && code.StartsWith("MODIFIED ", StringComparison.OrdinalIgnoreCase)
            && UidSet.TryParse(code["MODIFIED ".Length..].Trim(), out var modified))
            result.Modified = modified;
        return result;
    }
}
