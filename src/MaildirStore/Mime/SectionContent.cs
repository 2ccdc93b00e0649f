using System.Buffers;

namespace ImapProxy.Store.Mime;

/// <summary>
/// The bytes of one FETCH section, exactly as IMAP sends them: line ends CRLF, and for BODY (not BINARY) NUL bytes
/// as 0x80 (a NUL may not appear in a literal, RFC 3501 §4.3; Dovecot substitutes the same way). Backed either by
/// a range of the message file, normalized while copying, or by bytes in memory. The message stream must stay
/// open and seekable while this is used.
/// </summary>
public sealed class SectionContent
{
    private const int ChunkSize = 64 * 1024;
    private readonly Stream? message;
    private readonly long rawOffset;
    private readonly long rawLength;
    private readonly byte[]? bytes;
    private readonly bool replaceNul;
    private readonly string? transferEncoding;
    private long length;

    private SectionContent(Stream? message, long rawOffset, long rawLength, long length, byte[]? bytes, bool replaceNul, string? transferEncoding)
    {
        this.message = message;
        this.rawOffset = rawOffset;
        this.rawLength = rawLength;
        this.length = length;
        this.bytes = bytes;
        this.replaceNul = replaceNul;
        this.transferEncoding = transferEncoding;
    }

    /// <summary>An empty section (what a missing part yields).</summary>
    public static SectionContent Empty { get; } = FromBytes([]);

    internal static SectionContent FromBytes(byte[] data) => new(null, 0, 0, data.Length, data, false, null);

    internal static SectionContent FromRange(Stream message, long rawOffset, long rawLength, long crlfLength) =>
        new(message, rawOffset, rawLength, crlfLength, null, replaceNul: true, null);

    internal static SectionContent Decoded(Stream message, long rawOffset, long rawLength, string? transferEncoding) =>
        new(message, rawOffset, rawLength, -1, null, replaceNul: false, transferEncoding ?? "");

    /// <summary>True for BINARY content whose length needs a decoding pass (see <see cref="GetLengthAsync"/>).</summary>
    public bool LengthKnown => length >= 0;

    /// <summary>The length in bytes as sent; decoding BINARY content once to count it if needed.</summary>
    public async ValueTask<long> GetLengthAsync(CancellationToken ct = default)
    {
        if (length < 0)
        {
            var counter = new CountingStream();
            await CopyAllAsync(counter, ct).ConfigureAwait(false);
            length = counter.Count;
        }
        return length;
    }

    /// <summary>
    /// Writes bytes [offset, offset + count) of the section (a FETCH partial, RFC 3501 §6.4.5: offsets are in the
    /// sent bytes); past the end nothing is written.
    /// </summary>
    public async ValueTask CopyToAsync(Stream destination, long offset = 0, long count = long.MaxValue, CancellationToken ct = default)
    {
        if (offset == 0 && count == long.MaxValue)
        {
            await CopyAllAsync(destination, ct).ConfigureAwait(false);
            return;
        }
        var window = new WindowStream(destination, offset, count);
        await CopyAllAsync(window, ct).ConfigureAwait(false);
    }

    /// <summary>The section (or a partial of it) as an array.</summary>
    public async ValueTask<byte[]> ToArrayAsync(long offset = 0, long count = long.MaxValue, CancellationToken ct = default)
    {
        var buffer = new MemoryStream();
        await CopyToAsync(buffer, offset, count, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private async ValueTask CopyAllAsync(Stream destination, CancellationToken ct)
    {
        await foreach (var chunk in ReadChunksAsync(ct).ConfigureAwait(false))
        {
            await destination.WriteAsync(chunk, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The content in order, chunk by chunk; each chunk is valid until the next one is asked for.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        if (bytes is not null)
        {
            yield return bytes;
            yield break;
        }
        var decoder = transferEncoding is null ? null : TransferDecoding.Create(transferEncoding);
        var decoded = decoder is null ? null : new ArrayBufferWriter<byte>(ChunkSize);
        var input = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var output = ArrayPool<byte>.Shared.Rent(ChunkSize * 2);
        try
        {
            message!.Seek(rawOffset, SeekOrigin.Begin);
            long remaining = rawLength;
            bool previousCr = false;
            while (remaining > 0)
            {
                int read = await message.ReadAsync(input.AsMemory(0, (int)Math.Min(ChunkSize, remaining)), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break; // the file shrank under us; send what there is
                }
                remaining -= read;
                int n = Normalize(input.AsSpan(0, read), output, ref previousCr, replaceNul);
                if (decoder is null)
                {
                    yield return output.AsMemory(0, n);
                    continue;
                }
                decoded!.ResetWrittenCount();
                decoder.Decode(output.AsSpan(0, n), decoded);
                yield return decoded.WrittenMemory;
            }
            if (decoder is not null)
            {
                decoded!.ResetWrittenCount();
                decoder.Flush(decoded);
                yield return decoded.WrittenMemory;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>LF not preceded by CR becomes CRLF; optionally NUL becomes 0x80.</summary>
    internal static int Normalize(ReadOnlySpan<byte> input, Span<byte> output, ref bool previousCr, bool replaceNul)
    {
        int o = 0;
        foreach (byte b in input)
        {
            if (b == '\n' && !previousCr)
            {
                output[o++] = (byte)'\r';
            }
            output[o++] = b == 0 && replaceNul ? (byte)0x80 : b;
            previousCr = b == '\r';
        }
        return o;
    }

    /// <summary>Passes on only the bytes of a window [offset, offset + count) of what is written.</summary>
    private sealed class WindowStream(Stream inner, long offset, long count) : WriteOnlyStream
    {
        private long position;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            long start = Math.Max(offset - position, 0);
            long end = Math.Min(buffer.Length, offset + count - position);
            position += buffer.Length;
            if (end > start)
            {
                await inner.WriteAsync(buffer[(int)start..(int)end], ct).ConfigureAwait(false);
            }
        }
    }

    private sealed class CountingStream : WriteOnlyStream
    {
        public long Count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
    }
}
