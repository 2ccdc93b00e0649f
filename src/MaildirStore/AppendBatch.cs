using System.Buffers;
using System.Threading.Channels;
using ImapProxy.Store.Index;
using ImapProxy.Store.Maildir;

namespace ImapProxy.Store;

/// <summary>One message committed by an <see cref="AppendBatch"/>.</summary>
/// <param name="Uid">Its UID.</param>
/// <param name="ModSeq">Its MODSEQ.</param>
/// <param name="BaseName">Its Maildir base name (the file name without <c>:2,flags</c>), which a move keeps.</param>
public sealed record BatchAppendResult(uint Uid, ulong ModSeq, string BaseName);

/// <summary>How an <see cref="AppendBatch"/> makes its files durable before they are renamed into place.</summary>
public enum BatchDurability
{
    /// <summary>One <c>syncfs</c> for the whole batch where the system has it (Linux), else <see cref="EachFile"/>.</summary>
    FileSystem,

    /// <summary>One <c>fdatasync</c> per file, all at the batch's end (after the writes, so write-back overlapped them).</summary>
    EachFile,
}

/// <summary>
/// Many appends to one folder with a single durable point, for a synchronizer's initial download. Each message is
/// streamed into <c>tmp/</c> as it arrives (never a whole batch in memory) and parsed in the background while the
/// next one downloads; <see cref="CommitAsync"/> then makes the files durable (one <c>syncfs</c>, or one
/// <c>fdatasync</c> each), renames them into <c>new/</c> or <c>cur/</c>, fsyncs those directories once and records
/// every message in one index transaction.
/// </summary>
/// <remarks>
/// A crash at any point leaves either files in <c>tmp/</c> named after <see cref="Token"/> (removed by
/// <see cref="MailFolder.DiscardBatchFiles"/>, or by the usual tmp/ sweep), or complete, durable messages in
/// <c>new/</c>/<c>cur/</c> that the next scan adopts like any other writer's: never a partial message in place.
/// Not thread-safe: one writer adds messages, then commits. Dispose it to discard whatever was not committed.
/// </remarks>
public sealed class AppendBatch : IAsyncDisposable
{
    /// <summary>Messages parsed ahead of the writer at most; bounds the memory of the parse pipeline.</summary>
    private const int ParseQueue = 64;

    private readonly MailFolder _folder;
    private readonly IMessageAnalyzer _analyzer;
    private readonly List<Pending> _pending = new();
    private readonly List<string> _created = new();
    private readonly Channel<Pending> _toParse = Channel.CreateBounded<Pending>(ParseQueue);
    private readonly Task _parser;
    private readonly CancellationTokenSource _stop = new();
    private bool _finished;

    internal AppendBatch(MailFolder folder, IMessageAnalyzer analyzer, string token)
    {
        _folder = folder;
        _analyzer = analyzer;
        Token = token;
        _parser = Task.Run(ParseAllAsync);
    }

    /// <summary>
    /// Names this batch's temporary files (<c>tmp/&lt;token&gt;.&lt;n&gt;</c>): record it before writing, so a crashed
    /// batch's leftovers can be removed at once with <see cref="MailFolder.DiscardBatchFiles"/>.
    /// </summary>
    public string Token { get; }

    /// <summary>Messages added so far.</summary>
    public int Count => _pending.Count;

    /// <summary>Starts the next message: a stream into its temporary file, to be passed to <see cref="AddAsync"/>.</summary>
    /// <param name="lengthHint">The message's announced length, or 0 when unknown (sizes the write buffer).</param>
    /// <exception cref="StoreIOException">The file cannot be created.</exception>
    public Stream StartMessage(long lengthHint = 0)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        string path = System.IO.Path.Combine(_folder.TmpDirectory, $"{Token}.{_created.Count}");
        try
        {
            var stream = new BatchMessageStream(path, lengthHint);
            _created.Add(path); // a message started and never added (a cut mid-body) is deleted at commit or dispose
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreIOException($"Cannot write to {_folder.Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Finishes a message started with <see cref="StartMessage"/>: closes its file and queues it for parsing. Returns
    /// its index in the batch (the order of <see cref="CommitAsync"/>'s results).
    /// </summary>
    public async ValueTask<int> AddAsync(Stream written, MessageFlags flags, IReadOnlyCollection<string>? keywords,
        DateTimeOffset internalDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(written);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (written is not BatchMessageStream message)
            throw new ArgumentException("Not a stream from StartMessage.", nameof(written));
        (byte[] Buffer, int Length)? content;
        try
        {
            // INTERNALDATE travels as the file's mtime, so a file adopted after a crash (renamed, not indexed) keeps it.
            content = message.Finish(internalDate.UtcDateTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await written.DisposeAsync().ConfigureAwait(false);
            throw new StoreIOException($"Cannot write to {_folder.Name}: {e.Message}", e);
        }
        var pending = new Pending(message.Path, flags, Keywords.Normalize(keywords), internalDate) { Content = content };
        _pending.Add(pending);
        await _toParse.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return _pending.Count - 1;
    }

    /// <summary>
    /// The durable point: files synced, renamed into place, directories synced, then one index transaction. Returns
    /// one result per message, in the order added. The batch cannot be used afterwards.
    /// </summary>
    /// <exception cref="StoreIOException">A file could not be synced or renamed; nothing of the batch is recorded
    /// (files already renamed are adopted by the next scan, like another writer's).</exception>
    public async Task<IReadOnlyList<BatchAppendResult>> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _toParse.Writer.TryComplete();
        await _parser.ConfigureAwait(false);
        _finished = true;
        var added = _pending.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var path in _created.Where(p => !added.Contains(p))) MessageWriter.TryDelete(path);
        if (_pending.Count == 0) return [];
        if (_pending.FirstOrDefault(p => p.Failure is not null) is { } failed)
        {
            DeleteFiles();
            throw new StoreIOException($"Cannot write to {_folder.Name}: {failed.Failure!.Message}", failed.Failure);
        }
        try
        {
            MakeDurable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteFiles();
            throw new StoreIOException($"Cannot write to {_folder.Name}: {e.Message}", e);
        }
        var items = _pending.Select(p => new MailFolder.BatchItem(p.Path, p.Flags, p.Keywords, p.InternalDate, p.Size, p.Analysis)).ToList();
        return await _folder.CommitBatchAsync(items, cancellationToken).ConfigureAwait(false);
    }

    private void MakeDurable()
    {
        if (_folder.Account.Options.BatchDurability == BatchDurability.FileSystem && Durability.TrySyncFileSystem(_folder.TmpDirectory))
            return;
        foreach (var pending in _pending) Durability.SyncFileData(pending.Path);
    }

    /// <summary>Discards every message not committed (their temporary files are deleted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            _toParse.Writer.TryComplete();
            await _stop.CancelAsync().ConfigureAwait(false);
            try { await _parser.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopped on purpose */ }
            DeleteFiles();
        }
        _stop.Dispose();
    }

    private void DeleteFiles()
    {
        foreach (var path in _created) MessageWriter.TryDelete(path);
    }

    // Runs beside the writer (two cores here): the download of the next message overlaps this one's MIME parse.
    private async Task ParseAllAsync()
    {
        await foreach (var pending in _toParse.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                var (analysis, size) = await AnalyzeAsync(pending).ConfigureAwait(false);
                pending.Size = size;
                pending.Analysis = analysis;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                pending.Failure = e; // reported at commit; the loop goes on, so the writer never blocks on a full queue
            }
            finally
            {
                if (pending.Content is { } content) ArrayPool<byte>.Shared.Return(content.Buffer);
                pending.Content = null;
            }
        }
    }

    /// <summary>Parses a message from the bytes kept in memory, or else from its file; returns what to cache and its size.</summary>
    private async Task<(CachedAnalysis Analysis, long Size)> AnalyzeAsync(Pending pending)
    {
        await using var stream = pending.Content is { } content
            ? (Stream)new MemoryStream(content.Buffer, 0, content.Length, writable: false)
            : new FileStream(pending.Path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite,
                Options = FileOptions.SequentialScan, BufferSize = 0,
            });
        IngestAnalysis analysis;
        try
        {
            analysis = await _analyzer.AnalyzeAsync(stream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not IOException)
        {
            analysis = new IngestAnalysis(null, CachedAnalysis.None); // a parser bug must not fail the download
        }
        long size = analysis.Rfc822Size ?? -1;
        if (size < 0)
        {
            stream.Position = 0;
            size = await Rfc822SizeCounter.CountAsync(stream, _stop.Token).ConfigureAwait(false);
        }
        return (analysis.Cache, size);
    }

    private sealed class Pending(string path, MessageFlags flags, string[] keywords, DateTimeOffset internalDate)
    {
        public string Path { get; } = path;
        public MessageFlags Flags { get; } = flags;
        public string[] Keywords { get; } = keywords;
        public DateTimeOffset InternalDate { get; } = internalDate;
        public long Size { get; set; } = -1;
        public CachedAnalysis Analysis { get; set; } = CachedAnalysis.None;
        public Exception? Failure { get; set; }

        /// <summary>The whole message in a pooled buffer, when it was small enough to keep; the parse returns it.</summary>
        public (byte[] Buffer, int Length)? Content { get; set; }
    }
}
