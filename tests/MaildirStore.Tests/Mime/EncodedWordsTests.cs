using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

public class EncodedWordsTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("=?utf-8?q?caf=C3=A9?=", "café")]
    [InlineData("=?UTF-8?B?w6k=?=", "é")]
    [InlineData("=?iso-8859-1?q?caf=e9?= =?utf-8?b?w6k=?=", "caféé")]
    [InlineData("=?iso-8859-1?q?a?=  \t =?iso-8859-1?q?b?=", "ab")]
    [InlineData("=?iso-8859-1?q?a?= x =?iso-8859-1?q?b?=", "a x b")]
    [InlineData("=?utf-8?q?hello_world?=", "hello world")]
    [InlineData("=?iso-8859-15?q?=A4?=", "€")]
    [InlineData("=?windows-1252?q?=80?=", "€")]
    [InlineData("=?koi8-r?b?8NLJ18XU?=", "Привет")]
    [InlineData("=?us-ascii?q?x?=", "x")]
    [InlineData("=?utf-8*en?q?lang?=", "lang")]
    [InlineData("=?bogus-charset?q?x?=", "x")]
    [InlineData("=?utf-8?x?unknown-encoding?=", "=?utf-8?x?unknown-encoding?=")]
    [InlineData("=?utf-8?q?unterminated", "=?utf-8?q?unterminated")]
    [InlineData("folded\n  line", "folded  line")]
    public void Decodes(string raw, string expected) => Assert.Equal(expected, EncodedWords.DecodeHeader(raw));

    [Fact]
    public void Raw_eight_bit_is_utf8_when_valid_else_latin1()
    {
        string utf8Bytes = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("Grüße"));
        Assert.Equal("Grüße", EncodedWords.DecodeHeader(utf8Bytes));
        Assert.Equal("caf\u00e9", EncodedWords.DecodeHeader("caf\u00e9"));
    }

    [Theory]
    [InlineData("iso-8859-1"), InlineData("iso-8859-2"), InlineData("iso-8859-5"), InlineData("iso-8859-15")]
    [InlineData("windows-1250"), InlineData("windows-1251"), InlineData("windows-1252"), InlineData("koi8-r")]
    [InlineData("us-ascii"), InlineData("utf-8")]
    public void Charsets_are_available(string name) => Assert.NotNull(Charsets.TryGet(name));
}
