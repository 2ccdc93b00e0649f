using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class ValueTests
{
    private static readonly GrammarRule<ImapValue> Value = (ref ImapReader r, out ImapValue v) => r.TryReadValue(out v);
    private static readonly GrammarRule<ImapValue[]> Arguments = (ref ImapReader r, out ImapValue[] v) => r.TryReadArguments(out v);

    [Theory]
    [InlineData("NIL ", "Nil:NIL")]
    [InlineData("()", "List:()")]
    [InlineData("(a b c)", "List:(a b c)")]
    [InlineData("(\\Seen \\* $Junk)", "List:(\\Seen \\* $Junk)")]
    [InlineData("((\"a\" NIL) (b))", "List:((\"a\" NIL) (b))")]
    [InlineData("( a  b )", "List:(a b)")]
    [InlineData("BODY[HEADER.FIELDS (FROM \"TO\")]<0.100> ", "Atom:BODY[HEADER.FIELDS (FROM \"TO\")]<0.100>")]
    [InlineData("BODY[] ", "Atom:BODY[]")]
    [InlineData("1:*,5 ", "Atom:1:*,5")]
    [InlineData("[Gmail]/Sent ", "Atom:[Gmail]/Sent")]
    [InlineData("{3}\r\nabc", "Literal:\"abc\"")]
    [InlineData("(BODY[] {2}\r\nhi UID 7)", "List:(BODY[] \"hi\" UID 7)")]
    [InlineData("~{1}\r\n\0", "Literal:\"\0\"")]
    [InlineData("((\"text\" \"plain\" NIL)(\"text\" \"html\" NIL) \"alternative\")", "List:((\"text\" \"plain\" NIL) (\"text\" \"html\" NIL) \"alternative\")")]
    public void Value_valid(string input, string expected) =>
        Assert.Equal(expected, Grammar.Render(Grammar.Valid(Value, input)));

    [Theory]
    [InlineData(")")]
    [InlineData("(a\"b\")")]
    [InlineData("(a {x})")]
    [InlineData("\"unterminated\r\n")]
    public void Value_invalid(string input) => Grammar.Invalid(Value, input);

    [Theory]
    [InlineData("\r\n", "[]")]
    [InlineData(" \r\n", "[]")]
    [InlineData(" INBOX\r\n", "[Atom:INBOX]")]
    [InlineData(" 1:3 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n", "[Atom:1:3,List:(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])]")]
    [InlineData(" INBOX (\\Seen) {5}\r\nhello\r\n", "[Atom:INBOX,List:(\\Seen),Literal:\"hello\"]")]
    [InlineData(" a NIL \"q\"\r\n", "[Atom:a,Nil:NIL,Quoted:\"q\"]")]
    public void Arguments_valid(string input, string expected) =>
        Assert.Equal(expected, Grammar.Render(Grammar.Valid(Arguments, input, input.Length)));

    [Theory]
    [InlineData("x\r\n")]
    [InlineData(" (a\r\n")]
    [InlineData(" a)\r\n")]
    public void Arguments_invalid(string input) => Grammar.Invalid(Arguments, input);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_an_error()
    {
        var options = new ImapParserOptions { MaxDepth = 5 };
        Assert.Equal("List:(((((x)))))", Grammar.Render(Grammar.Valid(Value, "(((((x)))))", options: options)));
        Assert.Contains("nested deeper than 5", Grammar.Invalid(Value, "((((((x))))))", options));
        var deep = new string('(', 100_000);
        var (status, _, _, error) = Grammar.Run(Value, Sequences.Whole(Sequences.Bytes(deep)));
        Assert.Equal(ParseStatus.Error, status);
        Assert.Contains("nested deeper than 100", error);
    }

    [Fact]
    public void Too_many_values_is_an_error()
    {
        var options = new ImapParserOptions { MaxValues = 10 };
        var input = "(" + string.Join(" ", Enumerable.Repeat("a", 11)) + ")";
        Assert.Contains("more than 10 values", Grammar.Invalid(Value, input, options));
    }

    [Fact]
    public void Literal_bytes_are_not_copied_when_the_input_is_one_buffer()
    {
        var data = Sequences.Bytes("{5}\r\nhello");
        var reader = new ImapReader(new ReadOnlyMemory<byte>(data));
        Assert.Equal(ParseStatus.Ok, reader.TryReadValue(out var value));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value.Bytes, out var segment));
        Assert.Same(data, segment.Array);
        Assert.Equal(5, segment.Offset);
    }

    [Fact]
    public void Values_are_compact_and_keep_streamed_sizes()
    {
        var streamed = new ImapValue(ImapValueKind.Literal, default, null, LiteralFlags.NonSynchronizing, 5_000_000_000);
        Assert.Equal(5_000_000_000, streamed.StreamedSize);
        Assert.Equal(LiteralFlags.NonSynchronizing | LiteralFlags.Streamed, streamed.LiteralFlags);
        var atom = new ImapValue(ImapValueKind.Atom, new byte[] { (byte)'x', (byte)'A', (byte)'B' }.AsMemory(1, 2));
        Assert.Equal(-1, atom.StreamedSize);
        Assert.Equal("AB", atom.AsString());
        Assert.True(atom.IsAtom("ab"));
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<ImapValue>());
    }
}
