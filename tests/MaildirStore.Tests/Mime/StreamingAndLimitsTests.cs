using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;

/// <summary>Memory stays bounded by structure, not size; nesting is capped; hostile input survives.</summary>
[Collection(nameof(AllocationMeasurements))]
public class StreamingAndLimitsTests
{
    [Fact]
    public async Task Fifty_megabyte_message_is_analyzed_in_bounded_memory()
    {
        const long bodyBytes = 50L * 1024 * 1024;
        await using var message = new GeneratedMessageStream(bodyBytes);
        await MessageAnalyzer.AnalyzeAsync(new GeneratedMessageStream(1024)); // warm up code paths and statics

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var summary = await MessageAnalyzer.AnalyzeAsync(message);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(summary.Rfc822Size > bodyBytes, $"size {summary.Rfc822Size}");
        Assert.Equal(2, summary.Structure.Root.Children.Count);
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated:N0} bytes for a {summary.Rfc822Size:N0}-byte message");
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_becomes_a_leaf()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 150; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n");
        }
        sb.Append("Content-Type: text/plain\n\ndeep\n");
        var structure = await MimeStructure.ParseAsync(new MemoryStream(Encoding.ASCII.GetBytes(sb.ToString())));

        Assert.Equal(100, structure.EnumerateParts().Max(p => p.Depth));
        var summary = MessageAnalyzer.Summarize(structure);
        Assert.NotEmpty(summary.BodyStructure);
    }

    [Fact]
    public async Task Custom_depth_limit_applies_to_rfc822_too()
    {
        string message = "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nFrom: x@y\n\nbody\n";
        var structure = await MimeStructure.ParseAsync(new MemoryStream(Encoding.ASCII.GetBytes(message)), new MimeParserLimits { MaxDepth = 2 });
        Assert.Equal(2, structure.EnumerateParts().Max(p => p.Depth));
        Assert.Equal(message.Length + message.Count(c => c == '\n'), structure.Size);
    }

    [Fact]
    public async Task Random_bytes_never_throw_and_sizes_add_up()
    {
        var random = new Random(7);
        string[] pieces = ["--b\n", "--b--\n", "Content-Type: multipart/mixed; boundary=b\n", "Content-Type: message/rfc822\n", "\n", "\r\n", "x: y\n", "\r", "=?", "\0", "text\n"];
        for (int round = 0; round < 300; round++)
        {
            var sb = new StringBuilder();
            for (int i = random.Next(1, 60); i > 0; i--)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }
            var bytes = Encoding.Latin1.GetBytes(sb.ToString());
            var summary = await MessageAnalyzer.AnalyzeAsync(new MemoryStream(bytes));
            Assert.Equal(bytes.Length + CountBareLf(bytes), summary.Rfc822Size);
            foreach (var part in summary.Structure.EnumerateParts())
            {
                Assert.InRange(part.BodyOffset + part.BodyLength, 0, bytes.Length);
                Assert.True(part.HeaderOffset + part.HeaderLength <= part.BodyOffset || part.BodyLength == 0);
            }
        }
    }

    [Fact]
    public async Task Lines_longer_than_the_read_buffer_are_fine()
    {
        string longLine = new('a', 300_000);
        string message = $"Subject: {longLine}\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n{longLine}\n--b--\n";
        var summary = await MessageAnalyzer.AnalyzeAsync(new MemoryStream(Encoding.ASCII.GetBytes(message)));
        var part = summary.Structure.FindPart([1])!;
        Assert.Equal(longLine.Length, part.BodySize);
        Assert.Equal(longLine, summary.Subject);
    }

    [Fact]
    public async Task A_giant_header_cannot_hide_the_content_type()
    {
        string filler = string.Concat(Enumerable.Repeat("X-Filler: " + new string('f', 1000) + "\n", 2000));
        string message = $"{filler}Content-Type: multipart/mixed; boundary=b\n\n--b\n\npart\n--b--\n";
        var summary = await MessageAnalyzer.AnalyzeAsync(new MemoryStream(Encoding.ASCII.GetBytes(message)));
        Assert.True(summary.Structure.Root.IsMultipart);
        Assert.Equal(4, summary.Structure.FindPart([1])!.BodySize);
    }

    private static int CountBareLf(byte[] bytes)
    {
        int n = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r'))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>A multipart message with a big base64 attachment, produced on the fly (never held in memory).</summary>
    private sealed class GeneratedMessageStream(long attachmentBytes) : Stream
    {
        private static readonly byte[] Head = Encoding.ASCII.GetBytes(
            "From: a@b.c\nSubject: big\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=xyz\n\n" +
            "--xyz\nContent-Type: text/plain\n\nsee attachment\n--xyz\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n");
        private static readonly byte[] Line = Encoding.ASCII.GetBytes(new string('Q', 76) + "\n");
        private static readonly byte[] Tail = Encoding.ASCII.GetBytes("--xyz--\n");
        private long position;
        private readonly long total = Head.Length + (attachmentBytes / Line.Length + 1) * Line.Length + Tail.Length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => total;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Fill(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Fill(buffer.Span));

        private int Fill(Span<byte> span)
        {
            int written = 0;
            while (written < span.Length && position < total)
            {
                byte b;
                long tailStart = total - Tail.Length;
                if (position < Head.Length)
                {
                    b = Head[position];
                }
                else if (position >= tailStart)
                {
                    b = Tail[position - tailStart];
                }
                else
                {
                    b = Line[(position - Head.Length) % Line.Length];
                }
                span[written++] = b;
                position++;
            }
            return written;
        }
    }
}
