using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

/// <summary>What UID FETCH asks for.</summary>
/// <param name="Flags">FLAGS.</param>
/// <param name="Size">RFC822.SIZE.</param>
/// <param name="InternalDate">INTERNALDATE.</param>
/// <param name="ModSeq">MODSEQ (needs CONDSTORE).</param>
/// <param name="BodySection">A body section to download without setting \Seen, e.g. "" for the whole message or
/// "HEADER"; null for none.</param>
/// <param name="ChangedSince">CHANGEDSINCE mod-sequence (RFC 7162): only messages changed since then.</param>
/// <param name="Vanished">With CHANGEDSINCE and QRESYNC enabled: also report expunged UIDs (VANISHED (EARLIER)).</param>
/// <param name="Extra">Other items verbatim, e.g. "X-GM-LABELS" on Gmail.</param>
public sealed record FetchRequest(bool Flags = true, bool Size = false, bool InternalDate = false, bool ModSeq = false,
    string? BodySection = null, ulong? ChangedSince = null, bool Vanished = false, IReadOnlyList<string>? Extra = null);

/// <summary>Receives message bodies as they stream in, so a 50 MB message never sits whole in memory.</summary>
public interface IFetchBodySink
{
    /// <summary>A body literal starts. Return the stream to write its <paramref name="length"/> bytes to.
    /// <paramref name="uid"/> is the UID if the server sent it before the body (Dovecot, Gmail do), else 0.</summary>
    ValueTask<Stream> OpenAsync(uint sequenceNumber, uint uid, long length, CancellationToken cancellationToken);

    /// <summary>The whole FETCH response is in: the message's UID, flags, dates and the body size are known.
    /// The stream returned by <see cref="OpenAsync"/> (null when this response had no body) is the caller's to close.</summary>
    ValueTask CompleteAsync(FetchedMessage message, Stream? body, CancellationToken cancellationToken);
}

/// <summary>The answer to UID FETCH.</summary>
/// <param name="Messages">The messages, in the order the server sent them (empty when streamed to a sink).</param>
/// <param name="Vanished">UIDs reported expunged (VANISHED (EARLIER)) with CHANGEDSINCE … VANISHED.</param>
public sealed record FetchResult(IReadOnlyList<FetchedMessage> Messages, UidSet Vanished);

public sealed partial class ImapClient
{
    /// <summary>UID FETCH into memory. For bodies of unknown size prefer the overload with a sink.</summary>
    public Task<FetchResult> UidFetchAsync(UidSet uids, FetchRequest request, CancellationToken cancellationToken = default)
        => UidFetchAsync(uids, request, null, cancellationToken);

    /// <summary>
    /// UID FETCH. With a <paramref name="sink"/>, body literals are written to the streams it opens, chunk by chunk as
    /// they arrive, and each message is handed to <see cref="IFetchBodySink.CompleteAsync"/> instead of being
    /// collected. Several UID FETCH commands may be in flight at once (responses are routed by UID).
    /// </summary>
    public async Task<FetchResult> UidFetchAsync(UidSet uids, FetchRequest request, IFetchBodySink? sink, CancellationToken cancellationToken = default)
    {
        var builder = new CommandBuilder("UID FETCH").Raw($"UID FETCH {uids} (UID");
        if (request.Flags) builder.Raw(" FLAGS");
        if (request.Size) builder.Raw(" RFC822.SIZE");
        if (request.InternalDate) builder.Raw(" INTERNALDATE");
        var condstore = Has("CONDSTORE") || Has("QRESYNC");
        if ((request.ModSeq || request.ChangedSince is not null) && condstore) builder.Raw(" MODSEQ");
        if (request.BodySection is not null) builder.Raw($" BODY.PEEK[{request.BodySection}]");
        foreach (var extra in request.Extra ?? []) builder.Raw(" " + extra);
        builder.Raw(")");
        if (request.ChangedSince is { } since && condstore)
        {
            builder.Raw($" (CHANGEDSINCE {since}");
            if (request.Vanished && _enabled.Contains("QRESYNC")) builder.Raw(" VANISHED");
            builder.Raw(")");
        }
        var messages = new List<FetchedMessage>();
        var vanished = new UidSet();
        var router = sink is null ? null : new FetchRouter(sink, uids);
        await RunOkAsync(builder, exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword == "VANISHED" && request.Vanished)
            {
                var (set, earlier) = ParseVanished(line, frame);
                if (!earlier) return false;
                foreach (var (first, last) in set.Ranges) vanished.AddRange(first, last);
                return true;
            }
            if (line.Keyword != "FETCH") return false;
            var message = FetchParser.Parse(line, frame);
            // Another client's flag change (no UID, or a UID we did not ask for) is not ours: it becomes an event.
            if (message.Uid == 0 || !uids.Contains(message.Uid)) return false;
            if (router is null) messages.Add(message);
            else router.Completed(message);
            return true;
        }, router).ConfigureAwait(false);
        if (router is not null) await router.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new FetchResult(messages, vanished);
    }
}
