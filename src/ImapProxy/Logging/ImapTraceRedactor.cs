using System.Buffers;
using System.Text;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Logging;

/// <summary>
/// Turns the raw bytes of one local IMAP connection, both directions, into trace lines without secrets: each
/// command or response becomes one line, literal contents become <c>{n bytes}</c>, everything after
/// <c>LOGIN</c> becomes <c>***</c>, an <c>AUTHENTICATE</c> initial response becomes <c>***</c>, and so does every
/// client line of a SASL exchange until the server's tagged reply ends it.
/// </summary>
/// <remarks>
/// Bytes may arrive in any pieces (the pipe taps see whatever the transport delivers), so both directions are
/// small resumable state machines. Lines are capped at <see cref="MaxLineChars"/> characters: a trace is for
/// reading, and a hostile peer must not make it hold megabytes.
/// </remarks>
internal sealed class ImapTraceRedactor(Action<TraceDirection, string> emit)
{
    /// <summary>Longest trace line kept; the rest of a longer line is dropped and marked with an ellipsis.</summary>
    public const int MaxLineChars = 2000;

    private const string Hidden = "***";
    private readonly Direction _client = new(TraceDirection.Client);
    private readonly Direction _server = new(TraceDirection.Server);
    private readonly Lock _sync = new();
    private string? _saslTag;

    /// <summary>Bytes the client sent (as the session consumed them).</summary>
    public void ClientBytes(ReadOnlySequence<byte> bytes)
    {
        lock (_sync)
        {
            foreach (var segment in bytes)
                Feed(_client, segment.Span);
        }
    }

    /// <summary>Bytes the server wrote.</summary>
    public void ServerBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_sync)
            Feed(_server, bytes);
    }

    private void Feed(Direction d, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (d.LiteralLeft > 0)
            {
                var skip = (int)Math.Min(d.LiteralLeft, bytes.Length);
                d.LiteralLeft -= skip;
                bytes = bytes[skip..];
                continue;
            }
            var lf = bytes.IndexOf((byte)'\n');
            d.Append(lf < 0 ? bytes : bytes[..lf]);
            if (lf < 0)
                return;
            bytes = bytes[(lf + 1)..];
            EndOfLine(d);
        }
    }

    private void EndOfLine(Direction d)
    {
        var (line, tail) = d.TakeLine();
        if (LiteralLength(tail, out var length, out var markerLength))
        {
            var keep = line.EndsWith('…') ? line.Length : Math.Max(line.Length - markerLength, 0);
            d.Pending.Append(line, 0, keep).Append('{').Append(length).Append(" bytes}");
            d.LiteralLeft = length;
            return;
        }
        d.Pending.Append(line);
        var whole = d.Pending.ToString();
        d.Pending.Clear();
        emit(d.Which, d.Which == TraceDirection.Client ? RedactClient(whole) : ObserveServer(whole));
    }

    private string RedactClient(string line)
    {
        if (_saslTag is not null)
            return Hidden; // a SASL response (or the "*" that cancels it)
        var words = line.Split(' ', 4);
        if (words.Length < 2)
            return line;
        var command = words[1];
        if (command.Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
            return words.Length > 2 ? $"{words[0]} {command} {Hidden}" : line;
        if (command.Equals("AUTHENTICATE", StringComparison.OrdinalIgnoreCase))
        {
            _saslTag = words[0];
            return words.Length > 3 ? $"{words[0]} {command} {words[2]} {Hidden}" : line;
        }
        return line;
    }

    private string ObserveServer(string line)
    {
        if (_saslTag is not null && line.StartsWith(_saslTag + " ", StringComparison.Ordinal))
            _saslTag = null;
        return line;
    }

    /// <summary>A line ending in <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c> announces n bytes of literal.</summary>
    private static bool LiteralLength(string line, out long length, out int markerLength)
    {
        length = 0;
        markerLength = 0;
        if (!line.EndsWith('}'))
            return false;
        var open = line.LastIndexOf('{');
        if (open < 0)
            return false;
        var digits = line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+').TrimEnd('-');
        if (digits.IsEmpty || digits.Length > 18 || !long.TryParse(digits, System.Globalization.NumberStyles.None, null, out length))
            return false;
        var markerStart = open > 0 && line[open - 1] == '~' ? open - 1 : open;
        markerLength = line.Length - markerStart;
        return true;
    }

    private sealed class Direction(TraceDirection which)
    {
        private const int TailChars = 32;
        private readonly StringBuilder _line = new();
        private readonly StringBuilder _tail = new();
        private bool _truncated;
        private bool _heldCr;

        public TraceDirection Which { get; } = which;

        /// <summary>The command or response so far, when literals split it over several lines.</summary>
        public StringBuilder Pending { get; } = new();

        public long LiteralLeft { get; set; }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
                return;
            if (_heldCr)
                Add((byte)'\r');
            // A CR at the end may be the one of CRLF, with the LF in the next piece: hold it back until then.
            _heldCr = bytes[^1] == (byte)'\r';
            foreach (var b in _heldCr ? bytes[..^1] : bytes)
                Add(b);
        }

        private void Add(byte b)
        {
            // Latin-1 keeps one char per byte, so a line cut mid-character is still printable.
            var c = b is < 0x20 or 0x7f ? '.' : (char)b;
            if (_line.Length + Pending.Length < MaxLineChars)
                _line.Append(c);
            else
                _truncated = true;
            // The end of the real line decides whether a literal follows, however long the line was.
            if (_tail.Length == TailChars)
                _tail.Remove(0, 1);
            _tail.Append(c);
        }

        /// <summary>The line as traced (capped) and its last characters as received.</summary>
        public (string Text, string Tail) TakeLine()
        {
            var text = _truncated ? _line.Append('…').ToString() : _line.ToString();
            var tail = _tail.ToString();
            _line.Clear();
            _tail.Clear();
            _truncated = false;
            _heldCr = false;
            return (text, tail);
        }
    }
}
