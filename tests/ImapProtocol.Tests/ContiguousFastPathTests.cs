using System.Buffers;
using System.Text;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

/// <summary>
/// The reader's fast path over contiguous array-backed input (lists of plain atoms, NIL and unescaped quoted strings
/// read straight off the span) must give exactly what the general path gives: same values, same errors, same
/// "need more data" for every strict prefix. Grammar.Valid/Invalid already compare the two on every grammar test;
/// these cases aim at the fast path's own edges.
/// </summary>
public class ContiguousFastPathTests
{
    private static readonly GrammarRule<ImapValue> Value = (ref ImapReader r, out ImapValue v) => r.TryReadValue(out v);

    [Theory]
    // Dovecot's ENVELOPE and BODYSTRUCTURE as recorded from the corpus.
    [InlineData("(\"Thu, 22 Aug 2002 18:26:25 +0700\" \"Re: New Sequences Window\" ((\"Robert Elz\" NIL \"kre\" \"munnari.OZ.AU\")) NIL NIL NIL NIL NIL NIL \"<1@x>\")")]
    [InlineData("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1654 50 NIL NIL NIL NIL)(\"text\" \"html\" NIL NIL NIL \"base64\" 10 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1\") NIL NIL NIL)")]
    // Items the fast path hands to the general one, in the middle of fast ones.
    [InlineData("(\"a\" {3}\r\nabc NIL \"b\")")]
    [InlineData("(\"esc\\\"aped\" x \"back\\\\slash\" y)")]
    [InlineData("(BODY[HEADER.FIELDS (FROM)] {2}\r\nhi UID 7)")]
    [InlineData("(X ~{2}\r\n\0\u0001 Y)")]
    [InlineData("(nil Nil NIL NILS NI \"NIL\")")]
    [InlineData("(\\Seen \\* $Junk a]b)")]
    [InlineData("(\"\" \"\" ())")]
    [InlineData("(a(b)(c) d)")]
    public void Lists_parse_the_same_on_every_path(string input) => Grammar.Valid(Value, input);

    [Theory]
    [InlineData("(a\"b\")", "expected SP or ')'")]
    [InlineData("(\"a\"b)", "expected SP or ')'")]
    [InlineData("(a {x})", null)]
    [InlineData("(\"bad\\q\")", "bad escape")]
    [InlineData("(a\r\n)", "found CR")]
    public void Errors_are_the_same_on_every_path(string input, string? expected)
    {
        var error = Grammar.Invalid(Value, input);
        if (expected is not null) Assert.Contains(expected, error);
    }

    [Fact]
    public void The_value_limit_holds_inside_fast_lists()
    {
        var options = new ImapParserOptions { MaxValues = 5 };
        Assert.Equal("List:(a NIL \"c\" d)", Grammar.Render(Grammar.Valid(Value, "(a NIL \"c\" d)", options: options)));
        Assert.Contains("more than 5 values", Grammar.Invalid(Value, "(a NIL \"c\" d e f)", options));
        Assert.Contains("more than 5 values", Grammar.Invalid(Value, "(\"a\" \"b\" \"c\" \"d\" \"e\" \"f\")", options));
    }

    [Fact]
    public void Long_lists_spill_past_the_inline_items_in_order()
    {
        var items = Enumerable.Range(0, 70).Select(i => i % 3 == 0 ? "NIL" : i % 3 == 1 ? $"a{i}" : $"\"q{i}\"").ToArray();
        var value = Grammar.Valid(Value, "(" + string.Join(" ", items) + ")");
        Assert.Equal(70, value.Items.Count);
        Assert.Equal("(" + string.Join(" ", items) + ")", value.ToString());
    }

    [Fact]
    public void Values_reference_the_input_array_without_copying()
    {
        var data = Encoding.ASCII.GetBytes("(\"quoted\" atom)");
        var reader = new ImapReader(new ReadOnlySequence<byte>(data));
        Assert.Equal(ParseStatus.Ok, reader.TryReadValue(out var value));
        foreach (var item in value.Items)
        {
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(item.Bytes, out var segment));
            Assert.Same(data, segment.Array);
        }
    }

    [Fact]
    public void A_stream_of_fetch_responses_frames_and_parses_the_same_whole_and_split()
    {
        var stream = new StringBuilder();
        for (var i = 1; i <= 40; i++)
        {
            var subject = i % 7 == 0 ? "{12}\r\nliteral subj" : $"\"Subject {i} \\\"quoted\\\"\"";
            stream.Append($"* {i} FETCH (UID {i * 3} ENVELOPE (\"Mon, 1 Jan 2024 00:00:0{i % 10} +0000\" {subject} ")
                .Append("((\"Ann\" NIL \"ann\" \"example.org\")) NIL NIL NIL NIL NIL NIL \"<m").Append(i).Append("@x>\") ")
                .Append("BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" ").Append(100 + i)
                .Append(" 3 NIL NIL NIL NIL))\r\n");
        }
        stream.Append("a1 OK Fetch completed.\r\n");
        var data = Encoding.ASCII.GetBytes(stream.ToString());
        var expected = ParseAll(Sequences.Whole(data));
        Assert.Equal(41, expected.Count);
        Assert.Equal(expected, ParseAll(Sequences.NotArrayBacked(data)));
        Assert.Equal(expected, ParseAll(Sequences.OneBytePerSegment(data)));
        for (var seed = 1; seed <= 10; seed++) Assert.Equal(expected, ParseAll(Sequences.RandomSplit(data, seed)));
    }

    private static List<string> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var frames = new ImapFrameReader(FrameKind.Responses);
        var parsed = new List<string>();
        while (true)
        {
            var r = frames.Read(buffer);
            if (r.Status != FrameStatus.Complete) break;
            Assert.True(ImapResponse.TryParse(r, null, out var response, out var error), error);
            if (response!.Name == "FETCH")
            {
                Assert.True(FetchItems.TryParse(response, out var items, out error), error);
                parsed.Add($"{items!.Uid} {items.Envelope} {items.BodyStructure}");
            }
            else parsed.Add($"{response.Tag} {response.Status} {response.Text}");
            buffer = buffer.Slice(r.Consumed);
        }
        Assert.Equal(0, buffer.Length);
        return parsed;
    }
}
