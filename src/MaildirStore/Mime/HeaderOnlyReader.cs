namespace ImapProxy.Store.Mime;

/// <summary>Reads just the header of a message: what SORT and THREAD need when the index has nothing for it.</summary>
internal static class HeaderOnlyReader
{
    /// <summary>Header bytes read at most; a longer header is cut (its later fields are not used).</summary>
    private const int MaxHeaderBytes = 256 * 1024;

    /// <summary>The header fields of the message on <paramref name="stream"/>, reading no further than its header.</summary>
    public static async Task<IReadOnlyList<HeaderField>> ReadFieldsAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderAsync(stream, cancellationToken).ConfigureAwait(false);
        using var memory = new MemoryStream(header, writable: false);
        var structure = await MimeStructure.ParseAsync(memory, null, cancellationToken).ConfigureAwait(false);
        return structure.Root.MessageFields ?? [];
    }

    /// <summary>The bytes up to and including the empty line that ends the header (or all, up to the cap).</summary>
    internal static async Task<byte[]> ReadHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            var end = HeaderEnd(buffer.AsSpan(0, filled));
            if (end >= 0)
            {
                return buffer.AsSpan(0, end).ToArray();
            }
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHeaderBytes)
                {
                    return buffer.AsSpan(0, filled).ToArray();
                }
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.AsSpan(0, filled).ToArray();
            }
            filled += read;
        }
    }

    /// <summary>The offset just after "LF LF" or "LF CR LF", or -1.</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0 && data[0] == '\n')
        {
            return 1;
        }
        if (data.Length > 1 && data[0] == '\r' && data[1] == '\n')
        {
            return 2;
        }
        for (var i = data.IndexOf((byte)'\n'); i >= 0 && i + 1 < data.Length;)
        {
            if (data[i + 1] == '\n')
            {
                return i + 2;
            }
            if (data[i + 1] == '\r' && i + 2 < data.Length && data[i + 2] == '\n')
            {
                return i + 3;
            }
            var next = data[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }
        return -1;
    }
}
