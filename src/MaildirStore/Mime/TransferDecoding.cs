using System.Buffers;

namespace ImapProxy.Store.Mime;

/// <summary>Content-Transfer-Encoding decoders (RFC 2045 §6), streaming and lenient.</summary>
public static class TransferDecoding
{
    /// <summary>A decoder for the named encoding; 7bit, 8bit, binary and unknown ones pass bytes through.</summary>
    public static ITransferDecoder Create(string? encoding) => encoding?.Trim().ToLowerInvariant() switch
    {
        "base64" => new Base64Decoder(),
        "quoted-printable" => new QuotedPrintableDecoder(),
        _ => new IdentityDecoder(),
    };

    /// <summary>True when BINARY[] can serve this encoding decoded (RFC 3516 §4.2 lets a server refuse others).</summary>
    public static bool IsKnown(string? encoding) => encoding?.Trim().ToLowerInvariant() is null
        or "7bit" or "8bit" or "binary" or "base64" or "quoted-printable";

    /// <summary>Decodes a whole base64 text, skipping characters outside the alphabet.</summary>
    public static byte[] DecodeBase64Lenient(string text)
    {
        var decoder = new Base64Decoder();
        var output = new ArrayBufferWriter<byte>(text.Length);
        decoder.Decode(HeaderField.Latin1.GetBytes(text), output);
        decoder.Flush(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a whole body held in memory.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> body, string? encoding)
    {
        var decoder = Create(encoding);
        var output = new ArrayBufferWriter<byte>(Math.Max(16, body.Length));
        decoder.Decode(body, output);
        decoder.Flush(output);
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>A chunk-at-a-time decoder; state carries over between chunks split anywhere.</summary>
public interface ITransferDecoder
{
    /// <summary>Decodes the next chunk of encoded bytes.</summary>
    void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output);

    /// <summary>Writes out whatever an unfinished sequence at the end still holds.</summary>
    void Flush(IBufferWriter<byte> output);
}

internal sealed class IdentityDecoder : ITransferDecoder
{
    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output) => output.Write(input);

    public void Flush(IBufferWriter<byte> output)
    {
    }
}

/// <summary>Base64 that skips line breaks and junk, and resumes after padding (concatenated encodings).</summary>
internal sealed class Base64Decoder : ITransferDecoder
{
    private int bits;
    private int count;

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(input.Length / 4 * 3 + 3);
        int written = 0;
        foreach (byte b in input)
        {
            int value = Sextet(b);
            if (value < 0)
            {
                if (b == '=')
                {
                    // Padding ends a quantum: keep the whole bytes it holds.
                    count = 0;
                    bits = 0;
                }
                continue;
            }
            bits = (bits << 6) | value;
            count++;
            if (count == 2)
            {
                span[written++] = (byte)(bits >> 4);
            }
            else if (count == 3)
            {
                span[written++] = (byte)(bits >> 2);
            }
            else if (count == 4)
            {
                span[written++] = (byte)bits;
                count = 0;
                bits = 0;
            }
        }
        output.Advance(written);
    }

    public void Flush(IBufferWriter<byte> output)
    {
        count = 0;
        bits = 0;
    }

    private static int Sextet(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => b - 'A',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}

/// <summary>
/// Quoted-printable: "=XX" is a byte, "=" before a line end is a soft break, a stray "=" stays, trailing
/// whitespace on a line is dropped (RFC 2045 §6.7 rule 3), and line ends come out as CRLF.
/// </summary>
internal sealed class QuotedPrintableDecoder : ITransferDecoder
{
    private const int MaxPendingWhitespace = 4096;
    private readonly List<byte> pendingWhitespace = [];
    private readonly List<byte> softBreakBytes = [];
    private int escapeState; // 0 none, 1 after '=', 2 after '=' and one hex digit
    private byte firstHex;
    private bool softBreak; // after "=" and whitespace, waiting for the line end
    private bool pendingCr;

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var writer = new ByteSink(output);
        foreach (byte b in input)
        {
            Step(b, ref writer);
        }
        writer.Commit();
    }

    private void Step(byte b, ref ByteSink writer)
    {
        if (pendingCr && b != '\n')
        {
            // A bare CR is data.
            pendingCr = false;
            FlushWhitespace(ref writer);
            writer.Put((byte)'\r');
        }
        switch (escapeState)
        {
            case 1:
                if (char.IsAsciiHexDigit((char)b))
                {
                    firstHex = b;
                    escapeState = 2;
                    return;
                }
                escapeState = 0;
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    softBreak = true;
                    softBreakBytes.Clear();
                    break;
                }
                writer.Put((byte)'=');
                break;
            case 2:
                escapeState = 0;
                if (char.IsAsciiHexDigit((char)b))
                {
                    writer.Put((byte)(HexValue(firstHex) << 4 | HexValue(b)));
                    return;
                }
                writer.Put((byte)'=');
                writer.Put(firstHex);
                break;
        }
        if (softBreak)
        {
            if (b == '\n')
            {
                softBreak = false;
                pendingCr = false;
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                if (softBreakBytes.Count < MaxPendingWhitespace)
                {
                    softBreakBytes.Add(b);
                }
            }
            else
            {
                // "=" followed by whitespace and then text: not a soft break after all, so it all stays.
                softBreak = false;
                writer.Put((byte)'=');
                foreach (byte w in softBreakBytes)
                {
                    Literal(w, ref writer);
                }
                Literal(b, ref writer);
            }
            return;
        }
        Literal(b, ref writer);
    }

    private void Literal(byte b, ref ByteSink writer)
    {
        switch (b)
        {
            case (byte)'=':
                FlushWhitespace(ref writer);
                escapeState = 1;
                return;
            case (byte)' ' or (byte)'\t':
                pendingWhitespace.Add(b);
                if (pendingWhitespace.Count > MaxPendingWhitespace)
                {
                    FlushWhitespace(ref writer);
                }
                return;
            case (byte)'\r':
                pendingCr = true;
                return;
            case (byte)'\n':
                pendingCr = false;
                pendingWhitespace.Clear();
                writer.Put((byte)'\r');
                writer.Put((byte)'\n');
                return;
            default:
                FlushWhitespace(ref writer);
                writer.Put(b);
                return;
        }
    }

    private void FlushWhitespace(ref ByteSink writer)
    {
        foreach (byte w in pendingWhitespace)
        {
            writer.Put(w);
        }
        pendingWhitespace.Clear();
    }

    public void Flush(IBufferWriter<byte> output)
    {
        var writer = new ByteSink(output);
        if (escapeState >= 1)
        {
            writer.Put((byte)'=');
        }
        if (escapeState == 2)
        {
            writer.Put(firstHex);
        }
        if (pendingCr)
        {
            writer.Put((byte)'\r');
        }
        escapeState = 0;
        pendingCr = false;
        softBreak = false;
        pendingWhitespace.Clear();
        writer.Commit();
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>Small write buffer over an IBufferWriter.</summary>
    private ref struct ByteSink(IBufferWriter<byte> output)
    {
        private Span<byte> span = output.GetSpan(256);
        private int used;

        public void Put(byte b)
        {
            if (used == span.Length)
            {
                output.Advance(used);
                span = output.GetSpan(256);
                used = 0;
            }
            span[used++] = b;
        }

        public readonly void Commit() => output.Advance(used);
    }
}
