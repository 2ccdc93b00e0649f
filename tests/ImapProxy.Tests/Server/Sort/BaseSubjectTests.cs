using ImapProxy.Server.Sort;

namespace ImapProxy.Tests.Server.Sort;

/// <summary>RFC 5256 §2.1 base subject extraction, step by step.</summary>
public sealed class BaseSubjectTests
{
    [Theory]
    // (1) encoded-words decoded, tabs and folds become one space
    [InlineData("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus Bern", "Grüße aus Bern", false)]
    [InlineData("Re: =?ISO-8859-1?B?U2No9m4=?=", "Schön", true)]
    [InlineData("a\tb  \t c", "a b c", false)]
    [InlineData("folded\r\n  line", "folded line", false)]
    // (2) trailers: "(fwd)" and whitespace, repeatedly
    [InlineData("hello (fwd)", "hello", true)]
    [InlineData("hello (FWD) (fwd)  ", "hello", true)]
    [InlineData("hello(fwd)", "hello", true)]
    // (3) leaders: re / fw / fwd, optional blob before the colon, blobs before them
    [InlineData("Re: hello", "hello", true)]
    [InlineData("RE:hello", "hello", true)]
    [InlineData("re : hello", "hello", true)]
    [InlineData("Fw: hello", "hello", true)]
    [InlineData("FWD: hello", "hello", true)]
    [InlineData("Re[2]: hello", "hello", true)]
    [InlineData("Re [2] : hello", "hello", true)]
    [InlineData("Re: Re: RE: fwd: hello", "hello", true)]
    [InlineData("[list] Re: hello", "hello", true)]
    [InlineData("[list] [other] Re: hello", "hello", true)]
    [InlineData("   Re: hello", "hello", true)]
    // (4) a leading blob goes only when something is left after it
    [InlineData("[list] hello", "hello", false)]
    [InlineData("[list]", "[list]", false)]
    [InlineData("[list] [x]", "[x]", false)]
    [InlineData("[a] Re: [b] hello", "hello", true)]
    [InlineData("[a][b]", "[b]", false)]
    // (6) "[fwd: …]" unwraps and everything runs again
    [InlineData("[Fwd: hello]", "hello", true)]
    [InlineData("[fwd: Re: [list] hello (fwd)]", "hello", true)]
    [InlineData("Re: [Fwd: Re: hello]", "hello", true)]
    [InlineData("[fwd: hello", "[fwd: hello", false)]
    // not leaders
    [InlineData("Really: hello", "Really: hello", false)]
    [InlineData("Research", "Research", false)]
    [InlineData("Fwdx: hello", "Fwdx: hello", false)]
    [InlineData("hello re: x", "hello re: x", false)]
    [InlineData("[unclosed Re: hello", "[unclosed Re: hello", false)]
    [InlineData("", "", false)]
    [InlineData("Re:", "", true)]
    [InlineData("   ", "", false)]
    public void Extracts(string raw, string expected, bool replyOrForward)
    {
        var subject = BaseSubject.FromRawHeader(raw);
        Assert.Equal(expected, subject.Text);
        Assert.Equal(replyOrForward, subject.IsReplyOrForward);
    }

    [Fact]
    public void Missing_subject_is_empty()
    {
        Assert.Equal(new BaseSubject("", false), BaseSubject.FromRawHeader(null));
    }

    [Theory]
    [InlineData("Hello world", "HELLO WORLD")]
    [InlineData("école", "E\u0301COLE")]
    [InlineData("ÉCOLE", "E\u0301COLE")]
    [InlineData("über straße", "U\u0308BER STRAßE")] // ß has no one-character titlecase; it stays
    [InlineData("\u01C6ungla", "\u01C5UNGLA")]
    [InlineData("\uD55C", "\u1112\u1161\u11AB")] // a Hangul syllable decomposes into its jamo
    public void Key_is_unicode_casemap(string subject, string key)
    {
        Assert.Equal(key, BaseSubject.Extract(subject).Key);
    }

    [Fact]
    public void Keys_order_by_code_point()
    {
        var keys = new[] { "\uFF21", "\U0001F600", "Z", "E\u0301" }.Order(UnicodeCasemap.Comparer).ToArray();
        Assert.Equal(new[] { "E\u0301", "Z", "\uFF21", "\U0001F600" }, keys);
    }
}
