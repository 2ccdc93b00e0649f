using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    private const int IngestChunk = 2000;

    /// <summary>Gives UIDs to files that other writers put in place, parsing each once; commits in chunks.</summary>
    private async Task IngestLockedAsync(List<(string Name, bool InNew)> files, CancellationToken cancellationToken)
    {
        // Name order ≈ delivery order for time-prefixed Maildir names, so UIDs follow arrival.
        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var uidList = AdoptedUidList;
        AdoptedUidList = null;
        var taken = new HashSet<uint>();
        for (int start = 0; start < files.Count; start += IngestChunk)
        {
            var chunk = files.GetRange(start, Math.Min(IngestChunk, files.Count - start));
            var results = new IngestedFile?[chunk.Count];
            await Parallel.ForAsync(0, chunk.Count, new ParallelOptions
            {
                CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount),
            }, async (i, ct) =>
            {
                string path = System.IO.Path.Combine(chunk[i].InNew ? NewDirectory : CurDirectory, chunk[i].Name);
                results[i] = await IngestedFile.ReadAsync(path, _account.Analyzer, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var batch = new ChangeBatch();
            for (int i = 0; i < chunk.Count; i++)
            {
                if (results[i] is not { } file) continue; // vanished or unreadable meanwhile: the next scan decides
                uint uid = 0;
                if (uidList is not null && uidList.UidsByBaseName.TryGetValue(MaildirFileName.BaseName(chunk[i].Name), out uint dovecotUid)
                    && dovecotUid < _row.UidNext && taken.Add(dovecotUid))
                    uid = dovecotUid;
                if (uid == 0) uid = _row.UidNext++;
                var entry = new MessageEntry
                {
                    Uid = uid, FileName = chunk[i].Name, InNew = chunk[i].InNew, Flags = MaildirFileName.ParseFlags(chunk[i].Name),
                    Keywords = KeywordsFromName(chunk[i].Name), ModSeq = ++_row.HighestModSeq, InternalDate = file.InternalDate, Size = file.Size,
                };
                AddEntry(entry, file.Analysis, batch);
            }
            await CommitLockedAsync(batch).ConfigureAwait(false);
        }
    }

    private void AddEntry(MessageEntry entry, CachedAnalysis analysis, ChangeBatch batch)
    {
        if (_namesLoaded) _byFileName[entry.FileName] = entry;
        batch.Added.Add(entry);
        batch.Ops.Add(new IndexOp.Insert(entry, analysis));
        batch.Changes.Add(new FolderChange(FolderChangeKind.Added, entry.Uid, entry.ModSeq, entry.ToInfo()));
    }

    /// <summary>What ingest learns from one file: size, INTERNALDATE (its mtime) and the parser's results.</summary>
    private sealed record IngestedFile(long Size, long InternalDate, CachedAnalysis Analysis)
    {
        public static async Task<IngestedFile?> ReadAsync(string path, IMessageAnalyzer analyzer, CancellationToken cancellationToken)
        {
            try
            {
                await using var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
                    Options = FileOptions.SequentialScan, BufferSize = 0,
                });
                long mtime = new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds();
                IngestAnalysis analysis;
                try
                {
                    analysis = await analyzer.AnalyzeAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not IOException)
                {
                    analysis = new IngestAnalysis(null, CachedAnalysis.None); // a parser bug must not stop ingest
                }
                long size = analysis.Rfc822Size ?? -1;
                if (size < 0)
                {
                    stream.Position = 0;
                    size = await Rfc822SizeCounter.CountAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                return new IngestedFile(size, mtime, analysis.Cache);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
