using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class ResponseTests
{
    [Theory]
    [InlineData("A1 OK done\r\n", ImapResponseKind.Tagged, "A1", ImapStatus.Ok, "done")]
    [InlineData("A1 no [TRYCREATE] no such mailbox\r\n", ImapResponseKind.Tagged, "A1", ImapStatus.No, "no such mailbox")]
    [InlineData("* BYE shutting down\r\n", ImapResponseKind.Untagged, null, ImapStatus.Bye, "shutting down")]
    [InlineData("* OK\r\n", ImapResponseKind.Untagged, null, ImapStatus.Ok, "")]
    [InlineData("* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n", ImapResponseKind.Untagged, null, ImapStatus.Preauth, "hi")]
    [InlineData("+ Ready for literal\r\n", ImapResponseKind.Continuation, null, ImapStatus.None, "Ready for literal")]
    [InlineData("+\r\n", ImapResponseKind.Continuation, null, ImapStatus.None, "")]
    [InlineData("+ dXNlcg==\r\n", ImapResponseKind.Continuation, null, ImapStatus.None, "dXNlcg==")]
    public void Status_and_continuation(string line, ImapResponseKind kind, string? tag, ImapStatus status, string text)
    {
        var response = Parse(line);
        Assert.Equal(kind, response.Kind);
        Assert.Equal(tag, response.Tag);
        Assert.Equal(status, response.Status);
        Assert.Equal(text, response.Text);
    }

    [Theory]
    [InlineData("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", ResponseCodeKind.UidValidity, 3857529045UL, null, null)]
    [InlineData("* OK [UIDNEXT 4392] Predicted next UID\r\n", ResponseCodeKind.UidNext, 4392UL, null, null)]
    [InlineData("* OK [UNSEEN 12] first unseen\r\n", ResponseCodeKind.Unseen, 12UL, null, null)]
    [InlineData("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n", ResponseCodeKind.HighestModSeq, 715194045007UL, null, null)]
    [InlineData("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n", ResponseCodeKind.AppendUid, 38505UL, "3955", null)]
    [InlineData("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n", ResponseCodeKind.CopyUid, 38505UL, "3956:3958", "304,319:320")]
    [InlineData("d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n", ResponseCodeKind.Modified, 0UL, "7,9", null)]
    [InlineData("* OK [NOMODSEQ] Sorry\r\n", ResponseCodeKind.NoModSeq, 0UL, null, null)]
    [InlineData("* OK [CLOSED] Previous closed\r\n", ResponseCodeKind.Closed, 0UL, null, null)]
    [InlineData("* OK [READ-WRITE] SELECT\r\n", ResponseCodeKind.ReadWrite, 0UL, null, null)]
    [InlineData("A1 OK [READ-ONLY] EXAMINE\r\n", ResponseCodeKind.ReadOnly, 0UL, null, null)]
    [InlineData("* NO [ALERT] disk full\r\n", ResponseCodeKind.Alert, 0UL, null, null)]
    [InlineData("A1 BAD [PARSE] bad\r\n", ResponseCodeKind.Parse, 0UL, null, null)]
    [InlineData("A1 NO [AUTHENTICATIONFAILED] nope\r\n", ResponseCodeKind.AuthenticationFailed, 0UL, null, null)]
    [InlineData("A1 NO [OVERQUOTA] full\r\n", ResponseCodeKind.OverQuota, 0UL, null, null)]
    [InlineData("A1 NO [NONEXISTENT] gone\r\n", ResponseCodeKind.NonExistent, 0UL, null, null)]
    public void Typed_response_codes(string line, ResponseCodeKind kind, ulong number, string? set, string? source)
    {
        var code = Parse(line).Code!;
        Assert.Equal(kind, code.Kind);
        Assert.Equal(number, code.Number);
        Assert.Equal(set, code.Set?.ToString());
        Assert.Equal(source, code.SourceSet?.ToString());
    }

    [Fact]
    public void Permanent_flags_and_capabilities_are_lists()
    {
        Assert.Equal([@"\Deleted", @"\Seen", @"\*"],
            Parse("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n").Code!.Values);
        Assert.Equal(["IMAP4rev1", "LITERAL+", "AUTH=PLAIN"],
            Parse("* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN] Dovecot ready.\r\n").Code!.Values);
    }

    [Fact]
    public void Unknown_codes_keep_name_and_text()
    {
        var code = Parse("* OK [X-GM-WHATEVER some (odd text] hi\r\n").Code!;
        Assert.Equal(ResponseCodeKind.Unknown, code.Kind);
        Assert.Equal("X-GM-WHATEVER", code.Name);
        Assert.Equal("some (odd text", code.Text);
    }

    [Theory]
    [InlineData("* 23 EXISTS\r\n", "EXISTS", 23u, "")]
    [InlineData("* 3 expunge\r\n", "EXPUNGE", 3u, "")]
    [InlineData("* CAPABILITY IMAP4rev1 IDLE\r\n", "CAPABILITY", null, "IMAP4rev1 IDLE")]
    [InlineData("* 1 FETCH (UID 7 BODY[] {2}\r\nhi)\r\n", "FETCH", 1u, "(UID 7 BODY[] \"hi\")")]
    [InlineData("* LIST (\\HasNoChildren) \"/\" INBOX\r\n", "LIST", null, "(\\HasNoChildren) \"/\" INBOX")]
    public void Untagged_data(string line, string name, uint? number, string data)
    {
        var response = Parse(line);
        Assert.Equal(ImapResponseKind.Untagged, response.Kind);
        Assert.Equal(ImapStatus.None, response.Status);
        Assert.Equal(name, response.Name);
        Assert.Equal(number, response.Number);
        Assert.Equal(data, string.Join(" ", response.Data));
    }

    [Theory]
    [InlineData("A1 FETCH (x)\r\n")]
    [InlineData("* OK [UIDVALIDITY x] bad\r\n")]
    [InlineData("* OK [UIDNEXT 5 bad\r\n")]
    [InlineData("* 1 FETCH (UID\r\n")]
    [InlineData("*\r\n")]
    [InlineData("A1 OK [APPENDUID 1] x\r\n")]
    public void Malformed_responses_are_errors(string line)
    {
        Assert.False(ImapResponse.TryParse(Sequences.Bytes(line), null, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    internal static ImapResponse Parse(string line)
    {
        var frames = new ImapFrameReader(FrameKind.Responses);
        var r = frames.Read(Sequences.OneBytePerSegment(Sequences.Bytes(line)));
        Assert.Equal(FrameStatus.Complete, r.Status);
        Assert.True(ImapResponse.TryParse(r, null, out var response, out var error), error);
        return response!;
    }
}
