using ImapProxy.Protocol;
using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Fetch;

/// <summary>Writes one <c>* n FETCH (...)</c> response per message for a list of items.</summary>
internal sealed class FetchResponseWriter
{
    private readonly CommandContext _context;
    private readonly List<FetchItem> _items;
    private readonly bool _needsDetails;
    private readonly bool _needsContent;
    private readonly bool _setsSeen;

    public FetchResponseWriter(CommandContext context, List<FetchItem> items)
    {
        _context = context;
        _items = items;
        _needsDetails = items.Any(i => i.NeedsDetails);
        _needsContent = items.Any(i => i.NeedsContent);
        _setsSeen = items.Any(i => i.SetsSeen) && !context.Selected.ReadOnly;
    }

    public async Task WriteAsync(int seq, MessageInfo message)
    {
        var selected = _context.Selected;
        var token = _context.CancellationToken;
        bool flagsChanged = false;
        if (_setsSeen && (message.Flags & MessageFlags.Seen) == 0)
        {
            var stored = await selected.Folder.StoreFlagsAsync([message.Uid], FlagChangeMode.Add, MessageFlags.Seen, null, null, token).ConfigureAwait(false);
            foreach (var updated in stored.Updated)
            {
                selected.Update(updated);
                message = updated;
                flagsChanged = true;
            }
        }
        MessageDetails? details = _needsDetails ? await GetDetailsAsync(selected.Folder, message.Uid, token).ConfigureAwait(false) : null;
        byte[]? raw = null;
        MimeStructure? structure = null;
        if (_needsContent)
        {
            await using var stream = await selected.Folder.OpenMessageAsync(message.Uid, token).ConfigureAwait(false);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, token).ConfigureAwait(false);
            raw = memory.ToArray();
            memory.Position = 0;
            structure = await MimeStructure.ParseAsync(memory, null, token).ConfigureAwait(false);
        }

        var w = _context.Writer;
        w.Bytes("* "u8).Number(seq).Bytes(" FETCH ("u8);
        bool first = true;
        bool wroteFlags = false;
        foreach (var item in _items)
        {
            if (!first)
            {
                w.Space();
            }
            first = false;
            switch (item.Kind)
            {
                case FetchKind.Uid:
                    w.Bytes("UID "u8).Number(message.Uid);
                    break;
                case FetchKind.Flags:
                    w.Bytes("FLAGS ("u8);
                    FlagNames.Write(w, message.Flags, message.Keywords, selected.IsRecent(message.Uid));
                    w.Bytes(")"u8);
                    wroteFlags = true;
                    break;
                case FetchKind.InternalDate:
                    w.Bytes("INTERNALDATE \""u8).Ascii(ImapDate.FormatDateTime(message.InternalDate)).Bytes("\""u8);
                    break;
                case FetchKind.Rfc822Size:
                    w.Bytes("RFC822.SIZE "u8).Number(message.Size);
                    break;
                case FetchKind.ModSeq:
                    w.Bytes("MODSEQ ("u8).Number((long)message.ModSeq).Bytes(")"u8);
                    break;
                case FetchKind.Envelope:
                    w.Bytes("ENVELOPE "u8).Bytes(details?.Envelope ?? "NIL"u8.ToArray());
                    break;
                case FetchKind.BodyStructure:
                    w.Bytes("BODYSTRUCTURE "u8).Bytes(details?.BodyStructure ?? "NIL"u8.ToArray());
                    break;
                case FetchKind.Body:
                    w.Bytes("BODY "u8).Bytes(details?.Body ?? "NIL"u8.ToArray());
                    break;
                case FetchKind.Section:
                    var bytes = SectionExtractor.Extract(raw, structure!, item.Section!);
                    ReadOnlySpan<byte> span = bytes;
                    if (item.PartialStart >= 0)
                    {
                        long start = Math.Min(item.PartialStart, span.Length);
                        long length = Math.Min(item.PartialLength, span.Length - start);
                        span = span.Slice((int)start, (int)length);
                    }
                    w.Ascii(item.Label).Space().Literal(span);
                    break;
            }
        }
        if (flagsChanged && !wroteFlags)
        {
            // RFC 3501 §6.4.5: when FETCH sets \Seen, the new flags go with the response.
            w.Bytes(" FLAGS ("u8);
            FlagNames.Write(w, message.Flags, message.Keywords, selected.IsRecent(message.Uid));
            w.Bytes(")"u8);
        }
        w.Bytes(")\r\n"u8);
    }

    /// <summary>The store's cached ENVELOPE/BODYSTRUCTURE; computed from the file when the cache has none (analysis failed at ingest).</summary>
    private static async Task<MessageDetails> GetDetailsAsync(MailFolder folder, uint uid, CancellationToken token)
    {
        var details = await folder.GetDetailsAsync(uid, token).ConfigureAwait(false);
        if (details.Envelope is not null && details.BodyStructure is not null && details.Body is not null)
        {
            return details;
        }
        await using var stream = await folder.OpenMessageAsync(uid, token).ConfigureAwait(false);
        var summary = await MessageAnalyzer.AnalyzeAsync(stream, token).ConfigureAwait(false);
        return new MessageDetails(uid, summary.Envelope, summary.BodyStructure, summary.Body, summary.MessageId);
    }
}
