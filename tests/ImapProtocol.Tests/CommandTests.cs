using System.Text;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

public class CommandTests
{
    [Theory]
    [InlineData("a1 noop\r\n", "a1", "NOOP", false, "")]
    [InlineData("A2 uid fetch 1:* (UID FLAGS)\r\n", "A2", "FETCH", true, "1:* (UID FLAGS)")]
    [InlineData("A3 LOGIN {4}\r\nuser \"p w\"\r\n", "A3", "LOGIN", false, "\"user\" \"p w\"")]
    [InlineData("A4 SELECT INBOX (CONDSTORE)\r\n", "A4", "SELECT", false, "INBOX (CONDSTORE)")]
    [InlineData("A5 X-CUSTOM NIL\r\n", "A5", "X-CUSTOM", false, "NIL")]
    public void Parses_tag_name_and_arguments(string line, string tag, string name, bool uid, string args)
    {
        var command = Parse(line);
        Assert.Equal(tag, command.Tag);
        Assert.Equal(name, command.Name);
        Assert.Equal(uid, command.IsUid);
        Assert.Equal(args, string.Join(" ", command.Arguments));
    }

    [Theory]
    [InlineData("\r\n", null)]
    [InlineData("+A NOOP\r\n", null)]
    [InlineData("A1\r\n", null)]
    [InlineData("A1 (x)\r\n", "A1")]
    [InlineData("A1 UID\r\n", "A1")]
    [InlineData("A1 LOGIN (a\r\n", "A1")]
    public void Rejects_malformed_commands_with_the_tag_when_known(string line, string? tag)
    {
        Assert.False(ImapCommand.TryParse(Sequences.Bytes(line), null, null, out _, out var error, out var gotTag));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Equal(tag, gotTag);
    }

    [Fact]
    public void Typed_arguments_are_read_from_the_argument_reader()
    {
        var command = Parse("A1 UID STORE 1:5,7 +FLAGS.SILENT (\\Seen)\r\n");
        var reader = command.CreateArgumentReader();
        Assert.Equal(ParseStatus.Ok, reader.TryReadSpace());
        Assert.Equal(ParseStatus.Ok, reader.TryReadSequenceSet(out var set));
        Assert.Equal("1:5,7", set.ToString());
    }

    [Fact]
    public void Too_many_arguments_is_an_error()
    {
        var options = new ImapParserOptions { MaxValues = 100 };
        var line = "A1 SEARCH " + string.Join(" ", Enumerable.Repeat("SEEN", 101)) + "\r\n";
        Assert.False(ImapCommand.TryParse(Sequences.Bytes(line), options, null, out _, out var error, out var tag));
        Assert.Contains("more than 100 values", error);
        Assert.Equal("A1", tag);
    }

    private static ImapCommand Parse(string line)
    {
        var frames = new ImapFrameReader(FrameKind.Commands);
        var r = frames.Read(Sequences.OneBytePerSegment(Encoding.Latin1.GetBytes(line)));
        Assert.Equal(FrameStatus.Complete, r.Status);
        Assert.True(ImapCommand.TryParse(r, null, out var command, out var error, out _), error);
        return command!;
    }
}
