namespace ImapProxy.Store.Maildir;

/// <summary>Writes a message durably into a folder's tmp/: copy, count RFC822.SIZE, fsync.</summary>
internal static class MessageWriter
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="tmpPath"/> and fsyncs it; returns RFC822.SIZE.</summary>
    public static async Task<long> WriteAsync(Stream source, string tmpPath, CancellationToken cancellationToken)
    {
        var counter = new Index.Rfc822SizeCounter();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using (var file = new FileStream(tmpPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None,
                Options = FileOptions.Asynchronous, BufferSize = 0,
            }))
            {
                int n;
                while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    counter.Add(buffer.AsSpan(0, n));
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
                file.Flush(flushToDisk: true);
            }
            return counter.Size;
        }
        catch
        {
            TryDelete(tmpPath);
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort; tmp/ is swept later */ }
    }

    /// <summary>Deletes tmp/ files older than the grace period (left by crashed writers, ours or others').</summary>
    public static void SweepTmp(string tmpDirectory, TimeSpan gracePeriod)
    {
        if (!Directory.Exists(tmpDirectory)) return;
        var cutoff = DateTime.UtcNow - gracePeriod;
        foreach (var file in new DirectoryInfo(tmpDirectory).EnumerateFiles())
        {
            try
            {
                if (file.LastWriteTimeUtc < cutoff) file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* retried next open */ }
        }
    }
}
