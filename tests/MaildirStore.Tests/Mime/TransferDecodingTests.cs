using System.Buffers;
using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

public class TransferDecodingTests
{
    [Theory]
    [InlineData("base64", "aGVsbG8gd29ybGQ=", "hello world")]
    [InlineData("base64", "aGVs\r\nbG8g\r\nd29y bGQ=", "hello world")]
    [InlineData("base64", "aGk=aGk=", "hihi")]
    [InlineData("base64", "a!G@V#s$b%G^8", "hello")]
    [InlineData("quoted-printable", "caf=C3=A9", "caf\u00c3\u00a9")]
    [InlineData("quoted-printable", "soft=\r\nbreak", "softbreak")]
    [InlineData("quoted-printable", "soft=  \r\nbreak", "softbreak")]
    [InlineData("quoted-printable", "trailing  \r\nnext", "trailing\r\nnext")]
    [InlineData("quoted-printable", "lf only\nnext", "lf only\r\nnext")]
    [InlineData("quoted-printable", "bad =ZZ and =4", "bad =ZZ and =4")]
    [InlineData("quoted-printable", "lower =c3=a9", "lower \u00c3\u00a9")]
    [InlineData("quoted-printable", "a = b", "a = b")]
    [InlineData("7bit", "as is\r\n", "as is\r\n")]
    [InlineData("x-unknown", "as is", "as is")]
    public void Decodes_whole_and_split_anywhere(string encoding, string input, string expected)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        Assert.Equal(expected, Encoding.Latin1.GetString(TransferDecoding.Decode(bytes, encoding)));
        for (int split = 0; split <= bytes.Length; split++)
        {
            var decoder = TransferDecoding.Create(encoding);
            var output = new ArrayBufferWriter<byte>();
            decoder.Decode(bytes.AsSpan(0, split), output);
            decoder.Decode(bytes.AsSpan(split), output);
            decoder.Flush(output);
            Assert.Equal(expected, Encoding.Latin1.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Byte_at_a_time_equals_whole()
    {
        var random = new Random(42);
        var data = new byte[3000];
        random.NextBytes(data);
        string base64 = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);
        var decoder = TransferDecoding.Create("base64");
        var output = new ArrayBufferWriter<byte>();
        foreach (byte b in Encoding.ASCII.GetBytes(base64))
        {
            decoder.Decode([b], output);
        }
        decoder.Flush(output);
        Assert.Equal(data, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("base64", true), InlineData("QUOTED-PRINTABLE", true), InlineData("8bit", true), InlineData(null, true)]
    [InlineData("x-uuencode", false), InlineData("binhex", false)]
    public void Known_encodings(string? encoding, bool known) => Assert.Equal(known, TransferDecoding.IsKnown(encoding));
}
