using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol.Tests;

public class ResponseWriterTests
{
    [Fact]
    public void Status_responses_and_continuations()
    {
        Assert.Equal("A1 OK [UIDVALIDITY 5] SELECT done\r\n", Write(w => w.StatusResponse("A1", ImapStatus.Ok, "UIDVALIDITY 5", "SELECT done")));
        Assert.Equal("* BYE going  away\r\n", Write(w => w.StatusResponse(null, ImapStatus.Bye, null, "going\r\naway")));
        Assert.Equal("+ Ready\r\n", Write(w => w.Continuation()));
        Assert.Throws<ArgumentException>(() => Write(w => w.StatusResponse("A1", ImapStatus.None, null, "x")));
        Assert.True(ImapResponse.TryParse(Encoding.ASCII.GetBytes(Write(w => w.StatusResponse("t", ImapStatus.No, "TRYCREATE", "no"))),
            null, out var parsed, out var error), error);
        Assert.Equal(ResponseCodeKind.TryCreate, parsed!.Code!.Kind);
    }

    [Theory]
    [InlineData("OR (SEEN UID 4:7) NOT KEYWORD $x")]
    [InlineData("HEADER Subject \"a \\\"b\\\"\" LARGER 5 BEFORE 1-Feb-1994 MODSEQ \"/flags/\\\\draft\" all 5")]
    [InlineData("TEXT {7}\r\nGrüße")]
    [InlineData("1:3,5 (FROM x (TO y)) YOUNGER 60")]
    public void Search_keys_written_parse_back_the_same(string program)
    {
        var first = Parse(Encoding.UTF8.GetBytes(program + "\r\n"));
        var written = Write(w => w.SearchKey(first.Criteria).Crlf());
        var second = Parse(Encoding.UTF8.GetBytes(written));
        Assert.Equal(first.Criteria.ToString(), second.Criteria.ToString());
    }

    private static SearchProgram Parse(byte[] bytes)
    {
        var reader = new ImapReader(new ReadOnlyMemory<byte>(bytes));
        Assert.Equal(ParseStatus.Ok, reader.TryReadSearchProgram(out var program));
        Assert.Equal(ParseStatus.Ok, reader.TryReadCrlf());
        return program;
    }

    private static string Write(Action<ImapWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapWriter(buffer, ImapWriterOptions.Server));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
