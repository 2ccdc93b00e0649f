namespace ImapProxy.Upstream.Sync;

/// <summary>
/// Receives messages streamed by <see cref="IMailSide.ReadMessagesAsync"/>: for each message one
/// <see cref="OpenAsync"/>, its content written to the stream returned, then one <see cref="CompleteAsync"/>.
/// Calls for one message finish before the next message starts.
/// </summary>
public interface IMessageSink
{
    /// <summary>A message's content starts; returns where to write its <paramref name="length"/> octets.</summary>
    ValueTask<Stream> OpenAsync(uint uid, long length, CancellationToken cancellationToken);

    /// <summary>The message's whole content is in <paramref name="content"/> (the stream from <see cref="OpenAsync"/>, now the sink's).</summary>
    ValueTask CompleteAsync(uint uid, Stream content, CancellationToken cancellationToken);
}

/// <summary>
/// Appends to one folder of a side with one durable point, from <see cref="IMailSide.BeginAppendBatchAsync"/>: each
/// message is written to the stream <see cref="StartAsync"/> gives and handed back with <see cref="AddAsync"/>;
/// <see cref="CommitAsync"/> makes them all durable on the side and reports their UIDs. Disposing an uncommitted
/// batch discards what the side had not yet made permanent.
/// </summary>
public interface IAppendBatch : IAsyncDisposable
{
    /// <summary>
    /// Names the batch's traces on the side (temporary files), for the journal: after a crash,
    /// <see cref="IMailSide.DiscardBatchAsync"/> with it removes what is not a whole message.
    /// </summary>
    string Token { get; }

    /// <summary>Where to write the next message's content (CRLF line ends); <paramref name="lengthHint"/> is its expected size.</summary>
    ValueTask<Stream> StartAsync(long lengthHint, CancellationToken cancellationToken);

    /// <summary>The message written to <paramref name="written"/> is complete; returns its index in the batch.</summary>
    ValueTask<int> AddAsync(Stream written, FlagSet flags, DateTimeOffset internalDate, CancellationToken cancellationToken);

    /// <summary>Makes the batch durable on the side; the result has one entry per message, in index order.</summary>
    Task<BatchCommit> CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A message a batch appended.</summary>
/// <param name="Uid">Its UID, or null when the side cannot tell (no UIDPLUS): the engine then searches for it.</param>
/// <param name="ContentKey">Its content key on that side (see <see cref="SideCapabilities.ContentKeys"/>), or null.</param>
public sealed record AppendedCopy(uint? Uid, string? ContentKey);

/// <summary>What a batch's commit did.</summary>
/// <param name="Results">Per message in index order: what was appended, or null for a message the side did not
/// confirm (it may still be there: the journal looks for it).</param>
/// <param name="Error">When some messages failed: the first error, thrown by the engine once the rest is recorded.</param>
public sealed record BatchCommit(IReadOnlyList<AppendedCopy?> Results, Exception? Error = null);
