using ImapProxy.Protocol;
using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Fetch;

/// <summary>
/// Writes one <c>* n FETCH (...)</c> response per message straight into the session's pipe. Cached ENVELOPE /
/// BODYSTRUCTURE / BODY come from the index a batch of messages at a time (one query per batch, copied from one
/// reused buffer), so a whole-folder FETCH allocates nothing per message; sections are cut from the message file
/// by the store's <see cref="MessageSections"/> and streamed chunk by chunk.
/// </summary>
internal sealed class FetchResponseWriter : IDisposable
{
    /// <summary>Most messages whose summaries are loaded at once (about 1 KB each).</summary>
    private const int BatchSize = 512;
    private readonly CommandContext _context;
    private readonly FetchPlan _plan;
    private readonly bool _setsSeen;
    private readonly MessageSummaryBatch? _summaries;
    private int _batchEnd;

    public FetchResponseWriter(CommandContext context, FetchPlan plan)
    {
        _context = context;
        _plan = plan;
        _setsSeen = plan.SetsSeen && !context.Selected.ReadOnly;
        _summaries = plan.Summaries == SummaryParts.None ? null : new MessageSummaryBatch();
    }

    /// <summary>
    /// Loads the summaries of a batch starting at <paramref name="seqs"/>[<paramref name="index"/>] when that message
    /// is past the current batch. A batch stops early where the set is sparse, so a UID range query never reads
    /// many rows that were not asked for.
    /// </summary>
    public async ValueTask PrepareAsync(IReadOnlyList<int> seqs, int index)
    {
        if (_summaries is null || index < _batchEnd)
        {
            return;
        }
        int end = index + 1;
        while (end < seqs.Count && end - index < BatchSize && seqs[end] - seqs[index] + 1 <= 2 * (end - index + 1) + 64)
        {
            end++;
        }
        var selected = _context.Selected;
        await selected.Folder.LoadSummariesAsync(selected[seqs[index]].Uid, selected[seqs[end - 1]].Uid, _plan.Summaries, _summaries,
            _context.CancellationToken).ConfigureAwait(false);
        _batchEnd = end;
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
        int cached = -1;
        MessageDetails? computed = null;
        if (_summaries is not null && !(_summaries.TryFind(message.Uid, out cached) && _summaries.Has(cached, _plan.Summaries)))
        {
            cached = -1;
            computed = await ComputeDetailsAsync(selected.Folder, message.Uid, token).ConfigureAwait(false);
        }
        Stream? file = null;
        MimeStructure? structure = null;
        try
        {
            if (_plan.NeedsContent)
            {
                file = await selected.Folder.OpenMessageAsync(message.Uid, token).ConfigureAwait(false);
                structure = await MimeStructure.ParseAsync(file, null, token).ConfigureAwait(false);
            }
            var w = _context.Writer;
            w.Bytes("* "u8).Number(seq).Bytes(" FETCH ("u8);
            bool first = true;
            bool wroteFlags = false;
            foreach (var item in _plan.Items)
            {
                if (!first)
                {
                    w.Space();
                }
                first = false;
                if (item.Section is { } section)
                {
                    await WriteSectionAsync(item, await MessageSections.GetAsync(file!, structure!, section, token).ConfigureAwait(false)).ConfigureAwait(false);
                    continue;
                }
                wroteFlags |= item.Kind == FetchAttributeKind.Flags;
                WriteSimple(item.Kind, seq, message, cached, computed);
            }
            if (flagsChanged && !wroteFlags)
            {
                // RFC 3501 §6.4.5: when FETCH sets \Seen, the new flags go with the response.
                w.Space();
                WriteSimple(FetchAttributeKind.Flags, seq, message, cached, computed);
            }
            w.Bytes(")\r\n"u8);
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void WriteSimple(FetchAttributeKind kind, int seq, MessageInfo message, int cached, MessageDetails? computed)
    {
        var w = _context.Writer;
        switch (kind)
        {
            case FetchAttributeKind.Uid:
                w.Bytes("UID "u8).Number(message.Uid);
                break;
            case FetchAttributeKind.Flags:
                w.Bytes("FLAGS ("u8);
                FlagNames.Write(w, message.Flags, message.Keywords, _context.Selected.IsRecent(message.Uid));
                w.Bytes(")"u8);
                break;
            case FetchAttributeKind.InternalDate:
                w.Bytes("INTERNALDATE \""u8).Ascii(ImapDate.FormatDateTime(message.InternalDate)).Bytes("\""u8);
                break;
            case FetchAttributeKind.Rfc822Size:
                w.Bytes("RFC822.SIZE "u8).Number(message.Size);
                break;
            case FetchAttributeKind.ModSeq:
                w.Bytes("MODSEQ ("u8).Number((long)message.ModSeq).Bytes(")"u8);
                break;
            case FetchAttributeKind.Envelope:
                w.Bytes("ENVELOPE "u8).Bytes(cached >= 0 ? _summaries!.Envelope(cached) : OrNil(computed?.Envelope));
                break;
            case FetchAttributeKind.BodyStructure:
                w.Bytes("BODYSTRUCTURE "u8).Bytes(cached >= 0 ? _summaries!.BodyStructure(cached) : OrNil(computed?.BodyStructure));
                break;
            case FetchAttributeKind.Body:
                w.Bytes("BODY "u8).Bytes(cached >= 0 ? _summaries!.Body(cached) : OrNil(computed?.Body));
                break;
        }
    }

    private static ReadOnlySpan<byte> OrNil(byte[]? bytes) => bytes is null ? "NIL"u8 : bytes;

    /// <summary>The section (or its partial window) as a literal, copied chunk by chunk into the pipe.</summary>
    private async Task WriteSectionAsync(PlannedItem item, SectionContent content)
    {
        var w = _context.Writer;
        var token = _context.CancellationToken;
        long length = await content.GetLengthAsync(token).ConfigureAwait(false);
        long skip = 0, left = length;
        if (item.Attribute.PartialOrigin is { } origin)
        {
            skip = Math.Min(origin, length);
            left = Math.Min(item.Attribute.PartialLength, length - skip);
        }
        w.Bytes(item.LabelBytes).Space().LiteralHeader(left);
        if (left > 0)
        {
            await foreach (var chunk in content.ReadChunksAsync(token).ConfigureAwait(false))
            {
                int from = (int)Math.Min(skip, chunk.Length);
                skip -= from;
                int take = (int)Math.Min(left, chunk.Length - from);
                w.Bytes(chunk.Span.Slice(from, take));
                left -= take;
                await w.FlushIfFullAsync(token).ConfigureAwait(false);
                if (left == 0)
                {
                    break;
                }
            }
        }
        for (; left > 0; left--)
        {
            w.Space(); // the file shrank under us: the literal's announced length must still be met
        }
    }

    /// <summary>ENVELOPE/BODYSTRUCTURE/BODY when the index has none (analysis failed at ingest): computed from the file.</summary>
    private static async Task<MessageDetails> ComputeDetailsAsync(MailFolder folder, uint uid, CancellationToken token)
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

    public void Dispose() => _summaries?.Dispose();
}
