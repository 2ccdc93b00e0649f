using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class FrameReaderTests
{
    public static TheoryData<string, string[]> CommandStreams => new()
    {
        { "A1 NOOP\r\n", ["A1 NOOP\r\n"] },
        { "A1 NOOP\r\nA2 CAPABILITY\r\n", ["A1 NOOP\r\n", "A2 CAPABILITY\r\n"] },
        { "A1 LOGIN {4}\r\nuser {4}\r\npass\r\nA2 NOOP\r\n", ["A1 LOGIN {4}\r\nuser {4}\r\npass\r\n", "A2 NOOP\r\n"] },
        { "A1 APPEND INBOX {3+}\r\na\r\n\r\n", ["A1 APPEND INBOX {3+}\r\na\r\n\r\n"] },
        { "A1 APPEND INBOX ~{2}\r\n\0\n\r\n", ["A1 APPEND INBOX ~{2}\r\n\0\n\r\n"] },
        { "A1 LOGIN \"a\" {0}\r\n\r\n", ["A1 LOGIN \"a\" {0}\r\n\r\n"] },
        { "A1 NOOP\n", ["A1 NOOP\n"] },
    };

    [Theory]
    [MemberData(nameof(CommandStreams))]
    public void Frames_commands_whatever_the_segmentation(string stream, string[] expected)
    {
        var data = Sequences.Bytes(stream);
        Assert.Equal(expected, FrameAll(Sequences.Whole(data), FrameKind.Commands));
        Assert.Equal(expected, FrameAll(Sequences.OneBytePerSegment(data), FrameKind.Commands));
        for (var seed = 1; seed <= 5; seed++)
            Assert.Equal(expected, FrameAll(Sequences.RandomSplit(data, seed), FrameKind.Commands));
    }

    [Theory]
    [MemberData(nameof(CommandStreams))]
    public async Task Frames_commands_written_one_byte_at_a_time_into_a_pipe(string stream, string[] expected)
    {
        var pipe = new Pipe();
        var data = Sequences.Bytes(stream);
        var writing = Task.Run(async () =>
        {
            foreach (var b in data) await pipe.Writer.WriteAsync(new[] { b });
            await pipe.Writer.CompleteAsync();
        });
        var frames = new ImapFrameReader(FrameKind.Commands);
        var got = new List<string>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (true)
            {
                var r = frames.Read(buffer);
                if (r.Status == FrameStatus.Complete)
                {
                    got.Add(Encoding.Latin1.GetString(r.Frame.ToArray()));
                    buffer = buffer.Slice(r.Consumed);
                    continue;
                }
                Assert.NotEqual(FrameStatus.Error, r.Status);
                pipe.Reader.AdvanceTo(r.Consumed, r.Examined);
                break;
            }
            if (result.IsCompleted) break;
        }
        await writing;
        Assert.Equal(expected, got);
    }

    [Fact]
    public void Asks_for_a_continuation_exactly_once_per_synchronizing_literal()
    {
        var frames = new ImapFrameReader(FrameKind.Commands);
        var stream = "A1 LOGIN {4}\r\nuser {4}\r\npass\r\n";
        var continuations = new List<int>();
        for (var k = 1; k <= stream.Length; k++)
        {
            var r = frames.Read(Sequences.Whole(Sequences.Bytes(stream[..k])));
            if (r.Status == FrameStatus.NeedContinuation)
            {
                continuations.Add(k);
                Assert.Equal(4, r.LiteralSize);
                Assert.True(r.LiteralSynchronizing);
            }
            if (k < stream.Length) Assert.NotEqual(FrameStatus.Complete, r.Status);
            else Assert.Equal(FrameStatus.Complete, r.Status);
        }
        Assert.Equal([14, 24], continuations);
    }

    [Fact]
    public void Non_synchronizing_literals_need_no_continuation()
    {
        var frames = new ImapFrameReader(FrameKind.Commands);
        var r = frames.Read(Sequences.Whole(Sequences.Bytes("A1 APPEND INBOX {4+}\r\n")));
        Assert.Equal(FrameStatus.NeedMoreData, r.Status);
        Assert.Equal(4, r.LiteralSize);
        Assert.False(r.LiteralSynchronizing);
    }

    [Fact]
    public void Streams_a_literal_above_the_threshold_and_resumes_after_it()
    {
        var options = new ImapParserOptions { LiteralStreamThreshold = 10 };
        var frames = new ImapFrameReader(FrameKind.Commands, options);
        var body = new string('x', 50);
        var data = Sequences.Bytes($"A1 APPEND INBOX (\\Seen) {{50}}\r\n{body}\r\n");
        var r = frames.Read(Sequences.Whole(data));
        Assert.Equal(FrameStatus.StreamLiteral, r.Status);
        Assert.Equal(50, r.LiteralSize);
        Assert.True(r.LiteralSynchronizing);
        var afterHeader = (int)Sequences.Whole(data).Slice(0, r.Consumed).Length;
        Assert.Equal("A1 APPEND INBOX (\\Seen) {50}\r\n".Length, afterHeader);

        // The caller streams the 50 literal bytes away, then hands over what follows.
        var rest = data.AsSpan(afterHeader + 50).ToArray();
        r = frames.Read(Sequences.Whole(rest));
        Assert.Equal(FrameStatus.Complete, r.Status);
        Assert.True(ImapCommand.TryParse(r, options, out var command, out var error, out _), error);
        Assert.Equal("APPEND", command!.Name);
        Assert.Equal(3, command.Arguments.Count);
        Assert.Equal(50, command.Arguments[2].StreamedSize);
        Assert.True(command.Arguments[2].LiteralFlags.HasFlag(LiteralFlags.Streamed));
    }

    [Fact]
    public void An_overlong_line_is_an_error_and_the_reader_resynchronizes_at_the_next_line()
    {
        var options = new ImapParserOptions { MaxLineLength = 100 };
        var frames = new ImapFrameReader(FrameKind.Commands, options);
        var huge = "A7 LOGIN " + new string('x', 200);
        var r = frames.Read(Sequences.Whole(Sequences.Bytes(huge)));
        Assert.Equal(FrameStatus.Error, r.Status);
        Assert.Equal("A7", r.Tag);
        Assert.False(r.Fatal);
        Assert.Contains("longer than 100", r.Error);
        // More of the same line is discarded, then the next command frames normally.
        var next = Sequences.Bytes(new string('y', 500) + "\r\nA8 NOOP\r\n");
        r = frames.Read(Sequences.Whole(next));
        var rest = Sequences.Whole(next).Slice(r.Consumed);
        Assert.Equal(FrameStatus.Complete, r.Status);
        Assert.Equal("A8 NOOP\r\n", Encoding.ASCII.GetString(r.Frame.ToArray()));
        Assert.Equal(0, rest.Length);
    }

    [Fact]
    public void Does_not_examine_past_the_line_limit_while_waiting_for_crlf()
    {
        var options = new ImapParserOptions { MaxLineLength = 1000 };
        var frames = new ImapFrameReader(FrameKind.Commands, options);
        var r = frames.Read(Sequences.Whole(Sequences.Bytes(new string('a', 999))));
        Assert.Equal(FrameStatus.NeedMoreData, r.Status);
        r = frames.Read(Sequences.Whole(Sequences.Bytes(new string('a', 1_000_000))));
        Assert.Equal(FrameStatus.Error, r.Status);
    }

    [Fact]
    public void An_oversized_synchronizing_literal_is_refused_without_waiting_for_it()
    {
        var options = new ImapParserOptions { MaxLiteralSize = 1000 };
        var frames = new ImapFrameReader(FrameKind.Commands, options);
        var data = Sequences.Bytes("A2 APPEND INBOX {1001}\r\nA3 NOOP\r\n");
        var r = frames.Read(Sequences.Whole(data));
        Assert.Equal(FrameStatus.Error, r.Status);
        Assert.False(r.Fatal, "the client waits for + and so sends nothing more of this command");
        Assert.Equal("A2", r.Tag);
        var next = frames.Read(Sequences.Whole(data).Slice(r.Consumed));
        Assert.Equal("A3 NOOP\r\n", Encoding.ASCII.GetString(next.Frame.ToArray()));
    }

    [Fact]
    public void An_oversized_non_synchronizing_literal_is_fatal()
    {
        var frames = new ImapFrameReader(FrameKind.Commands, new ImapParserOptions { MaxLiteralSize = 1000 });
        var r = frames.Read(Sequences.Whole(Sequences.Bytes("A2 APPEND INBOX {5000+}\r\n")));
        Assert.Equal(FrameStatus.Error, r.Status);
        Assert.True(r.Fatal);
    }

    [Theory]
    [InlineData("* OK greeting ends in {5}\r\n* 1 EXISTS\r\n", "* OK greeting ends in {5}\r\n")]
    [InlineData("A1 NO [ALERT] too big {99}\r\n", "A1 NO [ALERT] too big {99}\r\n")]
    [InlineData("+ {3}\r\n", "+ {3}\r\n")]
    [InlineData("* 1 FETCH (BODY[] {5}\r\nhello UID 4)\r\n", "* 1 FETCH (BODY[] {5}\r\nhello UID 4)\r\n")]
    public void Response_status_lines_never_announce_literals(string stream, string first)
    {
        var frames = FrameAll(Sequences.OneBytePerSegment(Sequences.Bytes(stream)), FrameKind.Responses);
        Assert.Equal(first, frames[0]);
    }

    private static List<string> FrameAll(ReadOnlySequence<byte> buffer, FrameKind kind)
    {
        var frames = new ImapFrameReader(kind);
        var got = new List<string>();
        while (buffer.Length > 0)
        {
            var r = frames.Read(buffer);
            Assert.True(r.Status == FrameStatus.Complete, $"{r.Status} {r.Error}");
            got.Add(Encoding.Latin1.GetString(r.Frame.ToArray()));
            buffer = buffer.Slice(r.Consumed);
        }
        return got;
    }
}
