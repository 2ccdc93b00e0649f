using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class StoreTests
{
    private static readonly GrammarRule<string> Store = (ref ImapReader r, out string v) =>
    {
        v = "";
        var s = r.TryReadStoreArguments(out var a);
        if (s == ParseStatus.Ok) s = r.TryReadCrlf();
        if (s == ParseStatus.Ok)
            v = $"{a.Set} {a.UnchangedSince} {a.Mode} {a.Silent} {string.Join(",", a.Flags)}";
        return s;
    };

    [Theory]
    [InlineData("1:3 +FLAGS (\\Seen)\r\n", "1:3  Add False \\Seen")]
    [InlineData("2 -flags.silent \\deleted $Junk\r\n", "2  Remove True \\Deleted,$Junk")]
    [InlineData("* FLAGS ()\r\n", "*  Replace False ")]
    [InlineData("7,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)\r\n", "7,9 320162338 Add True \\Deleted")]
    public void Valid(string input, string expected) => Assert.Equal(expected, Grammar.Valid(Store, input));

    [Theory]
    [InlineData("1 +LABELS (x)\r\n")]
    [InlineData("1 FLAGS (\\*)\r\n")]
    [InlineData("1 (UNCHANGEDSINCE x) FLAGS ()\r\n")]
    [InlineData("1 (CHANGEDSINCE 1) FLAGS ()\r\n")]
    [InlineData("x FLAGS ()\r\n")]
    [InlineData("1 FLAGS\r\n")]
    public void Invalid(string input) => Grammar.Invalid(Store, input);
}
