namespace ImapProxy.Store.Index;

/// <summary>
/// The seam between ingest and the MIME parser: what is computed once per message and cached in the index.
/// </summary>
internal interface IMessageAnalyzer
{
    /// <summary>Parses the message; never throws for malformed input (a best-effort result instead).</summary>
    ValueTask<CachedAnalysis> AnalyzeAsync(Stream message, CancellationToken cancellationToken);
}

/// <summary>
/// Used until the MIME parser (ImapProxy.Store.Mime) is available: records nothing, so entries stay "not analysed"
/// and are analysed on first request once a real parser is plugged in.
/// </summary>
internal sealed class NoMimeAnalyzer : IMessageAnalyzer
{
    public static readonly NoMimeAnalyzer Instance = new();

    public ValueTask<CachedAnalysis> AnalyzeAsync(Stream message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CachedAnalysis.None);
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
