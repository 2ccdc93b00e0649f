using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

/// <summary>The SORT and THREAD arguments of RFC 5256 §5, fed whole, byte by byte and at random splits.</summary>
public class SortThreadTests
{
    private static readonly GrammarRule<string> Sort = (ref ImapReader r, out string v) =>
    {
        v = "";
        var s = r.TryReadSortCriteria(out var criteria);
        string charset = "";
        SearchKey keys = null!;
        if (s == ParseStatus.Ok) s = r.TryReadSpace();
        if (s == ParseStatus.Ok) s = r.TryReadSearchCriteria(out charset, out keys);
        if (s == ParseStatus.Ok) s = r.TryReadCrlf();
        if (s == ParseStatus.Ok) v = "(" + string.Join(" ", criteria) + ") " + charset + " " + keys;
        return s;
    };

    private static readonly GrammarRule<string> Thread = (ref ImapReader r, out string v) =>
    {
        v = "";
        var s = r.TryReadThreadAlg(out var algorithm, out var name);
        string charset = "";
        SearchKey keys = null!;
        if (s == ParseStatus.Ok) s = r.TryReadSpace();
        if (s == ParseStatus.Ok) s = r.TryReadSearchCriteria(out charset, out keys);
        if (s == ParseStatus.Ok) s = r.TryReadCrlf();
        if (s == ParseStatus.Ok) v = algorithm + "/" + name + " " + charset + " " + keys;
        return s;
    };

    [Theory]
    [InlineData("(SUBJECT) UTF-8 ALL\r\n", "(SUBJECT) UTF-8 ALL")]
    [InlineData("(reverse arrival cc date from size subject to) US-ASCII SEEN\r\n",
        "(REVERSE ARRIVAL CC DATE FROM SIZE SUBJECT TO) US-ASCII SEEN")]
    [InlineData("(REVERSE DATE REVERSE SIZE) \"UTF-8\" UNDELETED SINCE 1-Feb-1994\r\n",
        "(REVERSE DATE REVERSE SIZE) UTF-8 UNDELETED SINCE 1-Feb-1994")]
    [InlineData("(SIZE) {5}\r\nUTF-8 (OR SEEN FLAGGED) 1:4\r\n", "(SIZE) UTF-8 (OR SEEN FLAGGED) 1:4")]
    [InlineData("(FROM) KOI8-R FROM \"x\"\r\n", "(FROM) KOI8-R FROM \"x\"")]
    public void Sort_arguments(string input, string expected) =>
        Assert.Equal(expected, Grammar.Valid(Sort, input));

    [Theory]
    [InlineData("() UTF-8 ALL\r\n")]
    [InlineData("SUBJECT UTF-8 ALL\r\n")]
    [InlineData("(SUBJECT UTF-8 ALL\r\n")]
    [InlineData("(BOGUS) UTF-8 ALL\r\n")]
    [InlineData("(REVERSE) UTF-8 ALL\r\n")]
    [InlineData("(REVERSE REVERSE DATE) UTF-8 ALL\r\n")]
    [InlineData("(DATE)  UTF-8 ALL\r\n")]
    [InlineData("(DATE) UTF-8\r\n")]
    [InlineData("(DATE) UTF-8 NOSUCHKEY\r\n")]
    [InlineData("(DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE) UTF-8 ALL\r\n")]
    public void Bad_sort_arguments(string input) => Grammar.Invalid(Sort, input);

    [Theory]
    [InlineData("ORDEREDSUBJECT UTF-8 ALL\r\n", "OrderedSubject/ORDEREDSUBJECT UTF-8 ALL")]
    [InlineData("references US-ASCII SINCE 5-MAR-2000 UNDELETED\r\n", "References/REFERENCES US-ASCII SINCE 5-Mar-2000 UNDELETED")]
    [InlineData("X-MINE UTF-8 ALL\r\n", "Other/X-MINE UTF-8 ALL")]
    public void Thread_arguments(string input, string expected) =>
        Assert.Equal(expected, Grammar.Valid(Thread, input));

    [Theory]
    [InlineData("(REFERENCES) UTF-8 ALL\r\n")]
    [InlineData("REFERENCES\r\n")]
    [InlineData("REFERENCES UTF-8\r\n")]
    [InlineData("REFERENCES UTF-8 ALL)\r\n")]
    public void Bad_thread_arguments(string input) => Grammar.Invalid(Thread, input);
}
