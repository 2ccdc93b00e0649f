using System.Buffers;
using System.Text;
using ImapProxy.Logging;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Tests.Logging;

/// <summary>The local server's trace: one line per command or response, secrets and literal contents left out.</summary>
public sealed class ImapTraceRedactorTests
{
    /// <summary>Bytes one side sent.</summary>
    public sealed record Exchange(bool FromClient, string Bytes);

    private static Exchange C(string bytes) => new(true, bytes);

    private static Exchange S(string bytes) => new(false, bytes);

    public static TheoryData<string, Exchange[], string[]> Cases => new()
    {
        { "LOGIN with atoms", [C("a1 LOGIN alice hunter2\r\n"), S("a1 OK done\r\n")],
            ["C: a1 LOGIN ***", "S: a1 OK done"] },
        { "LOGIN with literals", [C("a1 LOGIN {5}\r\n"), S("+ go\r\n"), C("alice {7}\r\n"), S("+ go\r\n"), C("hunter2\r\n"), S("a1 OK\r\n")],
            ["S: + go", "S: + go", "C: a1 LOGIN ***", "S: a1 OK"] },
        { "LOGIN with non-synchronizing literals", [C("a1 login {5+}\r\nalice {7+}\r\nhunter2\r\n")], ["C: a1 login ***"] },
        { "AUTHENTICATE with SASL-IR", [C("a2 AUTHENTICATE PLAIN AGFsaWNlAGh1bnRlcjI=\r\n"), S("a2 OK\r\n"), C("a3 NOOP\r\n")],
            ["C: a2 AUTHENTICATE PLAIN ***", "S: a2 OK", "C: a3 NOOP"] },
        { "AUTHENTICATE exchange", [C("a2 AUTHENTICATE PLAIN\r\n"), S("+ \r\n"), C("AGFsaWNlAGh1bnRlcjI=\r\n"), S("a2 OK\r\n"), C("a3 NOOP\r\n")],
            ["C: a2 AUTHENTICATE PLAIN", "S: + ", "C: ***", "S: a2 OK", "C: a3 NOOP"] },
        { "AUTHENTICATE cancelled", [C("x AUTHENTICATE PLAIN\r\n"), S("+ \r\n"), C("*\r\n"), S("x BAD cancelled\r\n"), C("y LOGOUT\r\n")],
            ["C: x AUTHENTICATE PLAIN", "S: + ", "C: ***", "S: x BAD cancelled", "C: y LOGOUT"] },
        { "message literals", [C("a4 APPEND INBOX (\\Seen) {21}\r\n"), S("+ Ready\r\n"), C("Subject: private\r\n\r\nx\r\n"),
                S("* 1 FETCH (UID 7 BODY[] {12}\r\nSecret body\n)\r\n"), S("a5 OK\r\n")],
            ["S: + Ready", "C: a4 APPEND INBOX (\\Seen) {21 bytes}", "S: * 1 FETCH (UID 7 BODY[] {12 bytes})", "S: a5 OK"] },
        { "binary literal", [S("* 2 FETCH (BINARY[1] ~{4}\r\n\0\r\n\u0001)\r\n")], ["S: * 2 FETCH (BINARY[1] {4 bytes})"] },
        { "control characters", [C("a6 NOOP\u0007\r\n"), C("bare\n")], ["C: a6 NOOP.", "C: bare"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Traces_are_redacted_fed_whole(string name, Exchange[] exchanges, string[] expected)
    {
        Assert.NotEmpty(name);
        Assert.Equal(expected, Run(exchanges, split: int.MaxValue));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Traces_are_redacted_fed_byte_by_byte(string name, Exchange[] exchanges, string[] expected)
    {
        Assert.NotEmpty(name);
        Assert.Equal(expected, Run(exchanges, split: 1));
    }

    [Fact]
    public void A_long_line_is_capped_but_its_literal_is_still_skipped()
    {
        var user = new string('u', 5000);
        var lines = Run([C($"a1 LOGIN {user} {{7}}\r\nhunter2\r\n"), S($"* 1 FETCH (X {new string('x', 5000)} {{6}}\r\nsecret)\r\n")], 3);
        Assert.Equal(2, lines.Count);
        Assert.Equal("C: a1 LOGIN ***", lines[0]);
        Assert.StartsWith("S: * 1 FETCH (X xxx", lines[1]);
        Assert.Contains("…{6 bytes}", lines[1]);
        Assert.InRange(lines[1].Length, 100, ImapTraceRedactor.MaxLineChars + 40);
        Assert.DoesNotContain(lines, l => l.Contains("hunter2") || l.Contains("secret"));
    }

    [Fact]
    public void Random_pieces_never_leak_the_password()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var lines = Run([C("t1 CAPABILITY\r\nt2 LOGIN {4+}\r\nuser {9}\r\n"), S("+ ok\r\n"), C("pa55word!\r\nt3 AUTHENTICATE PLAIN\r\n"),
                S("+ \r\n"), C("cGE1NXdvcmQh\r\n"), S("t3 NO\r\n"), C("t4 SELECT INBOX\r\n")], random.Next(1, 12));
            Assert.Equal(["C: t1 CAPABILITY", "S: + ok", "C: t2 LOGIN ***", "C: t3 AUTHENTICATE PLAIN", "S: + ", "C: ***", "S: t3 NO", "C: t4 SELECT INBOX"], lines);
        }
    }

    private static List<string> Run(IEnumerable<Exchange> exchanges, int split)
    {
        var lines = new List<string>();
        var redactor = new ImapTraceRedactor((direction, line) => lines.Add($"{(direction == TraceDirection.Client ? "C" : "S")}: {line}"));
        foreach (var exchange in exchanges)
        {
            var bytes = Encoding.Latin1.GetBytes(exchange.Bytes);
            for (var i = 0; i < bytes.Length; i += split)
            {
                var piece = bytes.AsMemory(i, Math.Min(split, bytes.Length - i));
                if (exchange.FromClient)
                    redactor.ClientBytes(new ReadOnlySequence<byte>(piece));
                else
                    redactor.ServerBytes(piece.Span);
            }
        }
        return lines;
    }
}
