using System.Text;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class ReaderPrimitiveTests
{
    private static readonly GrammarRule<string> Atom = (ref ImapReader r, out string v) => r.TryReadAtom(out v);
    private static readonly GrammarRule<uint> Number = (ref ImapReader r, out uint v) => r.TryReadNumber(out v);
    private static readonly GrammarRule<uint> NzNumber = (ref ImapReader r, out uint v) => r.TryReadNzNumber(out v);
    private static readonly GrammarRule<ulong> Number64 = (ref ImapReader r, out ulong v) => r.TryReadNumber64(out v);
    private static readonly GrammarRule<string> Astring = (ref ImapReader r, out string v) => r.TryReadAstring(out v);
    private static readonly GrammarRule<string?> Nstring = (ref ImapReader r, out string? v) => r.TryReadNstring(out v);
    private static readonly GrammarRule<ImapValue> StringRule = (ref ImapReader r, out ImapValue v) => r.TryReadString(out v);
    private static readonly GrammarRule<string> Tag = (ref ImapReader r, out string v) => r.TryReadTag(out v);
    private static readonly GrammarRule<bool> Crlf = (ref ImapReader r, out bool v) => { v = true; return r.TryReadCrlf(); };

    [Theory]
    [InlineData("FETCH ", "FETCH", 5)]
    [InlineData("a.b-c_d ", "a.b-c_d", 7)]
    [InlineData("BODY[TEXT ", "BODY[TEXT", 9)]
    [InlineData("x)", "x", 1)]
    [InlineData("NOOP\r\n", "NOOP", 4)]
    public void Atom_valid(string input, string expected, int consumed) =>
        Assert.Equal(expected, Grammar.Valid(Atom, input, consumed));

    [Theory]
    [InlineData(" x")]
    [InlineData("(x")]
    [InlineData("\"x\"")]
    [InlineData("]x")]
    [InlineData("\u00e9x")]
    public void Atom_invalid(string input) => Grammar.Invalid(Atom, input);

    [Theory]
    [InlineData("A001 ", "A001")]
    [InlineData("a]b ", "a]b")]
    public void Tag_valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Tag, input));

    [Theory]
    [InlineData("+tag ")]
    [InlineData("* ")]
    [InlineData(" ")]
    public void Tag_invalid(string input) => Grammar.Invalid(Tag, input);

    [Theory]
    [InlineData("0 ", 0u)]
    [InlineData("42)", 42u)]
    [InlineData("4294967295 ", uint.MaxValue)]
    public void Number_valid(string input, uint expected) => Assert.Equal(expected, Grammar.Valid(Number, input));

    [Theory]
    [InlineData("4294967296 ")]
    [InlineData("x ")]
    [InlineData(" 1")]
    public void Number_invalid(string input) => Grammar.Invalid(Number, input);

    [Fact]
    public void NzNumber_rejects_zero() => Assert.Contains("non-zero", Grammar.Invalid(NzNumber, "0 "));

    [Theory]
    [InlineData("9223372036854775807 ", 9223372036854775807UL)]
    [InlineData("1 ", 1UL)]
    public void Number64_valid(string input, ulong expected) => Assert.Equal(expected, Grammar.Valid(Number64, input));

    [Theory]
    [InlineData("9223372036854775808 ")]
    [InlineData("123456789012345678901 ")]
    public void Number64_invalid(string input) => Grammar.Invalid(Number64, input);

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Crlf_valid(string input) => Assert.True(Grammar.Valid(Crlf, input));

    [Theory]
    [InlineData("\rx")]
    [InlineData("x")]
    public void Crlf_invalid(string input) => Grammar.Invalid(Crlf, input);

    [Theory]
    [InlineData("\"hello world\"", "Quoted:\"hello world\"")]
    [InlineData("\"\"", "Quoted:\"\"")]
    [InlineData("\"a\\\"b\\\\c\"", "Quoted:\"a\\\"b\\\\c\"")]
    [InlineData("{5}\r\nhello", "Literal:\"hello\"")]
    [InlineData("{0}\r\n", "Literal:\"\"")]
    [InlineData("{3+}\r\na\r\n", "Literal:\"a\r\n\"")]
    [InlineData("~{3}\r\na\0b", "Literal:\"a\0b\"")]
    [InlineData("{2}\nab", "Literal:\"ab\"")]
    public void String_valid(string input, string expected) =>
        Assert.Equal(expected, Grammar.Render(Grammar.Valid(StringRule, input, input.Length)));

    [Fact]
    public void Literal_flags_are_reported()
    {
        Assert.Equal(LiteralFlags.NonSynchronizing, Grammar.Valid(StringRule, "{1+}\r\nx").LiteralFlags);
        Assert.Equal(LiteralFlags.Binary, Grammar.Valid(StringRule, "~{1}\r\nx").LiteralFlags);
        Assert.Equal(LiteralFlags.None, Grammar.Valid(StringRule, "{1}\r\nx").LiteralFlags);
    }

    [Fact]
    public void Quoted_string_with_utf8_is_kept_as_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("\"Grüße 日本\"");
        Assert.Equal("Grüße 日本", Grammar.Valid(StringRule, bytes).AsString());
    }

    [Theory]
    [InlineData("\"a\r\nb\"")]
    [InlineData("\"a\\nb\"")]
    [InlineData("\"a\0\"")]
    [InlineData("{x}\r\n")]
    [InlineData("{5\r\n")]
    [InlineData("{5}x")]
    [InlineData("abc")]
    [InlineData("{99999999999999999999}\r\n")]
    public void String_invalid(string input) => Grammar.Invalid(StringRule, input);

    [Theory]
    [InlineData("INBOX ", "INBOX")]
    [InlineData("foo]bar ", "foo]bar")]
    [InlineData("\"with space\"", "with space")]
    [InlineData("{3}\r\nabc", "abc")]
    [InlineData("~foo ", "~foo")]
    public void Astring_valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Astring, input));

    [Theory]
    [InlineData("(x")]
    [InlineData(")")]
    [InlineData("%x ")]
    public void Astring_invalid(string input) => Grammar.Invalid(Astring, input);

    [Theory]
    [InlineData("NIL ", null)]
    [InlineData("nil)", null)]
    [InlineData("\"NIL\"", "NIL")]
    [InlineData("\"\"", "")]
    [InlineData("{4}\r\nabcd", "abcd")]
    public void Nstring_valid(string input, string? expected) => Assert.Equal(expected, Grammar.Valid(Nstring, input));

    [Theory]
    [InlineData("NILS ")]
    [InlineData("foo ")]
    public void Nstring_invalid(string input) => Grammar.Invalid(Nstring, input);

    [Fact]
    public void Literal_over_the_limit_is_an_error_not_an_allocation()
    {
        var options = new ImapParserOptions { MaxLiteralSize = 10 };
        Assert.Contains("exceeds", Grammar.Invalid(StringRule, "{11}\r\n", options));
        Assert.Contains("exceeds", Grammar.Invalid(StringRule, "{9223372036854775807}\r\n", options));
    }

    [Fact]
    public void Waiting_for_a_line_longer_than_the_limit_is_an_error()
    {
        var options = new ImapParserOptions { MaxLineLength = 16 };
        var (status, _, _, error) = Grammar.Run(Atom, Sequences.Whole(Sequences.Bytes(new string('a', 17))), options);
        Assert.Equal(ParseStatus.Error, status);
        Assert.Contains("longer than 16", error);
        var (ok, _, _, _) = Grammar.Run(Atom, Sequences.Whole(Sequences.Bytes(new string('a', 15))), options);
        Assert.Equal(ParseStatus.NeedMoreData, ok);
    }
}
