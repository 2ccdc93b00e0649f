namespace ImapProxy.Store.Index;

/// <summary>
/// The seam between ingest and the MIME parser: what is computed once per message and cached in the index.
/// </summary>
internal interface IMessageAnalyzer
{
    /// <summary>Parses the message; never throws for malformed input (a best-effort result instead).</summary>
    ValueTask<IngestAnalysis> AnalyzeAsync(Stream message, CancellationToken cancellationToken);
}

/// <summary>The analyzer's answer: RFC822.SIZE if it counted it, and what to cache.</summary>
internal readonly record struct IngestAnalysis(long? Rfc822Size, CachedAnalysis Cache);

/// <summary>The MIME parser (<see cref="Mime.MessageAnalyzer"/>): one forward pass gives size, ENVELOPE, BODYSTRUCTURE and BODY.</summary>
internal sealed class MimeMessageAnalyzer : IMessageAnalyzer
{
    public static readonly MimeMessageAnalyzer Instance = new();

    public async ValueTask<IngestAnalysis> AnalyzeAsync(Stream message, CancellationToken cancellationToken)
    {
        var summary = await Mime.MessageAnalyzer.AnalyzeAsync(message, cancellationToken).ConfigureAwait(false);
        return new IngestAnalysis(summary.Rfc822Size,
            new CachedAnalysis(summary.Envelope, summary.BodyStructure, summary.Body, summary.MessageId,
                SortFields.FromHeader(summary.Structure.Root.MessageFields ?? [])));
    }
}

/// <summary>RFC822.SIZE: the byte count with every bare LF counted as CRLF.</summary>
internal struct Rfc822SizeCounter
{
    private long _bytes;
    private long _bareLineFeeds;
    private bool _lastWasCr;

    public readonly long Size => _bytes + _bareLineFeeds;

    public void Add(ReadOnlySpan<byte> chunk)
    {
        _bytes += chunk.Length;
        int start = 0;
        while (true)
        {
            int i = chunk[start..].IndexOf((byte)'\n');
            if (i < 0) break;
            int at = start + i;
            bool precededByCr = at > 0 ? chunk[at - 1] == '\r' : _lastWasCr;
            if (!precededByCr) _bareLineFeeds++;
            start = at + 1;
        }
        if (chunk.Length > 0) _lastWasCr = chunk[^1] == '\r';
    }

    public static async Task<long> CountAsync(Stream stream, CancellationToken cancellationToken)
    {
        var counter = new Rfc822SizeCounter();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                counter.Add(buffer.AsSpan(0, n));
            return counter.Size;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
