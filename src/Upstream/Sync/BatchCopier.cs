using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Copies messages between sides in batches: per batch one journal intent listing every message, one streamed read
/// from the source (a pipelined multi-UID FETCH upstream), one durable point on the target (one fsync strategy for
/// all files, one index transaction), then one state transaction recording the mappings and closing the intent.
/// Without a UID from the target (no UIDPLUS) a copy is found by Message-ID and size among UIDs at or above the
/// UIDNEXT seen before.
/// </summary>
internal sealed class BatchCopier(IMailSide[] sides, SyncStateStore state, IProgress<SyncEvent>? progress)
{
    /// <summary>Messages per batch: enough to amortise the durable point, few enough to bound the journal entry.</summary>
    internal const int MaxMessages = 256;

    /// <summary>Octets per batch; bounds what a target may hold before its commit (an upload buffers the batch).</summary>
    internal const long MaxBytes = 16L << 20;

    /// <remarks>
    /// Two batches are in flight at most: while one commits (its fsyncs, renames, index and state transactions),
    /// the next one downloads, so the network and the disk work at the same time.
    /// </remarks>
    public async Task<bool> CopyAllAsync(FolderScan scan, List<CopyAction> copies, FolderReport report, CancellationToken ct)
    {
        var complete = true;
        var done = 0;
        var taken = new[] { new HashSet<uint>(scan.Mappings.Select(m => m.Uid0)), new HashSet<uint>(scan.Mappings.Select(m => m.Uid1)) };
        Task<(List<CopyAction> Batch, List<CopyAction> Copied)>? finishing = null;
        try
        {
            foreach (var batch in Batches(copies))
            {
                var staged = await StageAsync(scan, batch, ct).ConfigureAwait(false);
                try
                {
                    if (finishing is not null)
                    {
                        var previous = finishing;
                        finishing = null;
                        Account(await previous.ConfigureAwait(false));
                    }
                }
                catch
                {
                    // Its intent stays in the journal; its temporary files go now.
                    await staged.Target.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
                finishing = FinishAsync(scan, staged, taken, ct);
                if (staged.ReadError is not null)
                {
                    break; // the source failed: commit what came, then stop (the finish throws the error)
                }
            }
            if (finishing is not null)
            {
                Account(await finishing.ConfigureAwait(false));
                finishing = null;
            }
        }
        finally
        {
            if (finishing is not null)
            {
                // Failing elsewhere: let the batch in flight end (recorded, or left to the journal) before leaving.
                try { await finishing.ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException) { /* the first error is the one thrown */ }
            }
        }
        return complete;

        void Account((List<CopyAction> Batch, List<CopyAction> Copied) result)
        {
            complete &= result.Copied.Count == result.Batch.Count;
            var to = 1 - result.Batch[0].FromSide;
            foreach (var copy in result.Copied)
            {
                report.Copied[to]++;
                report.Bytes += copy.Identity.Size;
                progress?.Report(new MessageCopied(scan.Name, to, ++done, copies.Count, copy.Identity.Size));
            }
        }
    }

    /// <summary>Consecutive copies in one direction, at most <see cref="MaxMessages"/> and <see cref="MaxBytes"/> (a larger message goes alone).</summary>
    internal static IEnumerable<List<CopyAction>> Batches(IEnumerable<CopyAction> copies)
    {
        foreach (var direction in copies.GroupBy(c => c.FromSide))
        {
            var batch = new List<CopyAction>();
            long bytes = 0;
            foreach (var copy in direction)
            {
                if (batch.Count > 0 && (batch.Count == MaxMessages || bytes + copy.Identity.Size > MaxBytes))
                {
                    yield return batch;
                    batch = new List<CopyAction>();
                    bytes = 0;
                }
                batch.Add(copy);
                bytes += copy.Identity.Size;
            }
            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    /// <summary>A batch downloaded (or read) into the target, not yet committed.</summary>
    private sealed record Staged(List<CopyAction> Batch, IAppendBatch Target, JournalIntent Intent, long IntentId, BatchSink Sink, Exception? ReadError);

    /// <summary>Writes the batch's journal intent, then streams its messages from the source into the target batch.</summary>
    private async Task<Staged> StageAsync(FolderScan scan, List<CopyAction> batch, CancellationToken ct)
    {
        var from = batch[0].FromSide;
        var to = 1 - from;
        var target = await sides[to].BeginAppendBatchAsync(scan.Name, ct).ConfigureAwait(false);
        try
        {
            var intent = new JournalIntent
            {
                Op = JournalOps.CopyBatch, Side = to, MinUid = scan.UidNextBefore(to), Token = target.Token,
                Uids = batch.Select(c => c.Identity.Uid).ToArray(),
                Items = batch.Select(c => new JournalCopyItem(c.Identity.Uid, c.Identity.MessageId, c.Identity.Size,
                    c.Identity.InternalDate.ToUnixTimeSeconds(), c.Identity.ContentKey, c.Flags.ToString())).ToArray(),
            };
            // Written (and durable) before the first byte reaches the target: a crash from here on leaves this entry.
            var intentId = await state.WriteAsync(tx => tx.AddIntent(scan.Pair.Id, intent), ct).ConfigureAwait(false);
            var sink = new BatchSink(target, batch);
            Exception? error = null;
            try
            {
                await sides[from].ReadMessagesAsync(scan.Name, intent.Uids, sink, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A cut or a bad message part-way: what arrived whole is still committed and recorded, the rest waits.
                error = e;
            }
            return new Staged(batch, target, intent, intentId, sink, error);
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Commits a staged batch on the target and records it; returns the copies now recorded on both sides.</summary>
    private async Task<(List<CopyAction> Batch, List<CopyAction> Copied)> FinishAsync(
        FolderScan scan, Staged staged, HashSet<uint>[] taken, CancellationToken ct)
    {
        await using var target = staged.Target;
        var (batch, _, intent, intentId, sink, error) = staged;
        var from = batch[0].FromSide;
        var to = 1 - from;
        var commit = sink.Added.Count == 0 ? new BatchCommit([]) : await target.CommitAsync(ct).ConfigureAwait(false);
        error ??= commit.Error;

        var copied = new List<(CopyAction Copy, AppendedCopy Result)>();
        foreach (var (copy, index) in sink.Added)
        {
            if (commit.Results[index] is not { } result)
            {
                continue;
            }
            var uid = result.Uid ?? await FindCopyAsync(sides[to], scan.Name, copy.Identity.MessageId, copy.Identity.Size,
                intent.MinUid, taken[to], ct).ConfigureAwait(false);
            if (uid is { } found)
            {
                taken[to].Add(found);
                copied.Add((copy, result with { Uid = found }));
            }
        }
        var keys = await ContentKeysAsync(to, scan.Name, copied, ct).ConfigureAwait(false);
        var recorded = copied.Select(c => c.Copy).ToHashSet();
        await state.WriteAsync(tx =>
        {
            foreach (var (copy, result) in copied)
            {
                var uid = result.Uid!.Value;
                tx.PutMapping(scan.Pair.Id, MappedMessage.From(from, copy.Identity.Uid, uid, copy.Flags, copy.Identity,
                    result.ContentKey ?? keys.GetValueOrDefault(uid)));
            }
            if (error is null)
            {
                // Gone from the source, or appended and not found: forget any old mapping, so the next run pairs
                // the two copies by content. After an error the journal decides instead (the message may be there).
                foreach (var copy in batch.Where(c => !recorded.Contains(c)))
                {
                    tx.DeleteMapping(scan.Pair.Id, from, copy.Identity.Uid);
                }
                tx.CompleteIntent(intentId);
            }
        }, ct).ConfigureAwait(false);
        foreach (var (copy, result) in copied)
        {
            scan.NoteWritten(to, result.Uid!.Value, copy.Flags);
        }
        if (error is not null)
        {
            throw error;
        }
        return (batch, copied.Select(c => c.Copy).ToList());
    }

    /// <summary>Content keys of new copies the target did not report, in one request.</summary>
    private async Task<Dictionary<uint, string?>> ContentKeysAsync(int side, string folder, List<(CopyAction Copy, AppendedCopy Result)> copied, CancellationToken ct)
    {
        var missing = copied.Where(c => c.Result.ContentKey is null).Select(c => c.Result.Uid!.Value).ToList();
        if (missing.Count == 0 || (sides[side].Capabilities & SideCapabilities.ContentKeys) == 0)
        {
            return [];
        }
        var identities = await sides[side].FetchIdentitiesAsync(folder, missing, ct).ConfigureAwait(false);
        return identities.ToDictionary(i => i.Uid, i => i.ContentKey);
    }

    /// <summary>Finds a copy written by an append whose UID is unknown (no UIDPLUS, or a crash before recording).</summary>
    internal static async Task<uint?> FindCopyAsync(
        IMailSide side, string folder, string? messageId, long size, uint minUid, IReadOnlySet<uint> taken, CancellationToken ct)
    {
        var found = await side.FindMessagesAsync(folder, messageId, size, minUid, ct).ConfigureAwait(false);
        foreach (var uid in found)
        {
            if (!taken.Contains(uid))
            {
                return uid;
            }
        }
        return null;
    }

    /// <summary>Hands each message the source streams to the target batch, with the flags and date the plan gives it.</summary>
    private sealed class BatchSink(IAppendBatch target, List<CopyAction> batch) : IMessageSink
    {
        private readonly Dictionary<uint, CopyAction> _byUid = batch.ToDictionary(c => c.Identity.Uid);

        /// <summary>Copies the target accepted, with their index in the batch.</summary>
        public List<(CopyAction Copy, int Index)> Added { get; } = new();

        public ValueTask<Stream> OpenAsync(uint uid, long length, CancellationToken cancellationToken) =>
            target.StartAsync(length, cancellationToken);

        public async ValueTask CompleteAsync(uint uid, Stream content, CancellationToken cancellationToken)
        {
            if (!_byUid.Remove(uid, out var copy))
            {
                // Not asked for, or sent twice: its bytes go nowhere.
                await content.DisposeAsync().ConfigureAwait(false);
                return;
            }
            var index = await target.AddAsync(content, copy.Flags, copy.Identity.InternalDate, cancellationToken).ConfigureAwait(false);
            Added.Add((copy, index));
        }
    }
}
