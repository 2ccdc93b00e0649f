using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Tests.Server;

/// <summary>
/// Mutated commands from every transcript, fed to real sessions over a real mirror: whatever a client sends, the
/// session never fails internally (no error logged, no SERVERBUG), ends when the client goes away, and mostly stays
/// usable afterwards.
/// </summary>
public sealed partial class SessionFuzzTests
{
    private const int Sessions = 60;
    private const int LinesPerSession = 24;
    private static readonly string TranscriptDirectory = Path.Combine(AppContext.BaseDirectory, "Server", "Transcripts");

    // What breaks parsers: literal announcements of every kind, nesting, quoting, wildcards, numbers at and past the
    // limits, bare CR/LF/NUL and 8-bit bytes.
    private static readonly string[] Tokens =
    [
        "{", "}", "{0}", "{1}\r\n", "{4294967296}", "{99999999999999999999}", "{5+}", "~{3}", "{18446744073709551615}",
        "(", ")", "((((((((((((((((((((", "))))", "[", "]", "<", ">", "<0.4294967295>", "\"", "\\", "\\\"", "*", "%",
        "\0", "\r", "\n", "\r\n", " ", "  ", "NIL", "1:*", "*:1", "0", "4294967295", "4294967296", "-1", "$", ",", ":",
        "\u00ff", "\u00e9", "BODY[", "BODY[1.2.3.4.5.6.7.8.9]", "UTF8 (", "CHARSET", "UNCHANGEDSINCE 0", "CHANGEDSINCE",
        "DONE\r\n", "RETURN (", "X-UNKNOWN", "&", "&-", "&AGE", "INBOX/../..", "/", "UID", "MODSEQ",
    ];

    [Fact]
    public async Task Mutated_commands_never_break_a_session()
    {
        var seedLines = await SeedLinesAsync();
        Assert.True(seedLines.Count > 100, $"only {seedLines.Count} client lines found in the transcripts");
        int usableAfterwards = 0;
        var errors = new ConcurrentQueue<string>();
        for (int session = 0; session < Sessions; session++)
        {
            var random = new Random(20261122 + session);
            await using var account = await TestAccount.CreateAsync();
            await account.SeedStandardAsync();
            var logger = new ErrorRecorder(errors, session);
            await using var connection = InMemoryConnection.Start(account.Resolver, TranscriptRunner.TestServerOptions(), loopback: true, logger);
            var lines = new ConcurrentQueue<string>();
            var reading = DrainAsync(connection, lines);

            await connection.SendBytesAsync(Encoding.ASCII.GetBytes($"a LOGIN {TestAccount.User} {TestAccount.Password}\r\nb SELECT INBOX\r\n"));
            for (int i = 0; i < LinesPerSession; i++)
            {
                await connection.SendBytesAsync(Mutate(seedLines[random.Next(seedLines.Count)], random));
            }
            // Whatever state the junk left (a literal being read, IDLE, a half line), a command on a line of its own
            // after a blank line should still be answered in most sessions.
            await connection.SendBytesAsync("\r\nDONE\r\nzz NOOP\r\n"u8.ToArray());
            if (await AnsweredAsync(lines, "zz ", TimeSpan.FromSeconds(2))) usableAfterwards++;

            await connection.CloseInputAsync();
            var ended = await Task.WhenAny(connection.SessionTask, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(ended == connection.SessionTask, $"session {session} did not end after its client went away");
            await connection.SessionTask; // throws if the session itself failed
            await reading;
            var serverBug = lines.FirstOrDefault(l => l.Contains("SERVERBUG", StringComparison.Ordinal) || l.Contains("Internal server error", StringComparison.Ordinal));
            Assert.True(serverBug is null, $"session {session}: {serverBug}");
        }
        Assert.True(errors.IsEmpty, "errors logged:\n" + string.Join("\n", errors.Take(5)));
        Assert.True(usableAfterwards >= Sessions / 2, $"only {usableAfterwards} of {Sessions} sessions answered a command after the junk");
    }

    private static async Task<List<byte[]>> SeedLinesAsync()
    {
        var result = new List<byte[]>();
        foreach (var file in Directory.GetFiles(TranscriptDirectory, "*.txt").Order())
        {
            var transcript = Transcript.Parse(await File.ReadAllTextAsync(file));
            foreach (var step in transcript.Steps.Where(s => s.Kind == Transcript.StepKind.Client))
            {
                result.Add(Encoding.UTF8.GetBytes(Placeholder().Replace(step.Text, "1")));
            }
        }
        return result;
    }

    /// <summary>One to four mutations of a real command: a token inserted, a byte changed, a span cut or doubled.</summary>
    private static byte[] Mutate(byte[] line, Random random)
    {
        var bytes = new List<byte>(line);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes.InsertRange(at, Encoding.Latin1.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 1:
                    if (bytes.Count > 0) bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 12), bytes.Count - at));
                    break;
                case 3:
                    var span = bytes.GetRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    for (int copies = random.Next(1, 6); copies > 0; copies--) bytes.InsertRange(at, span);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at); // a line cut short: the next one runs into it
                    break;
            }
        }
        return [.. bytes];
    }

    private static async Task DrainAsync(InMemoryConnection connection, ConcurrentQueue<string> lines)
    {
        while (await connection.ReadLineAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            lines.Enqueue(line);
        }
    }

    private static async Task<bool> AnsweredAsync(ConcurrentQueue<string> lines, string tag, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (lines.Any(l => l.StartsWith(tag, StringComparison.Ordinal))) return true;
            await Task.Delay(20);
        }
        return false;
    }

    [GeneratedRegex(@"\$[A-Za-z0-9_]+")]
    private static partial Regex Placeholder();

    /// <summary>Keeps what the session logs at Error or above: each is a bug the junk found.</summary>
    private sealed class ErrorRecorder(ConcurrentQueue<string> errors, int session) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) errors.Enqueue($"session {session}: {formatter(state, exception)} {exception}");
        }
    }
}
