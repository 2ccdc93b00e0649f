using System.Collections.Concurrent;
using System.Text;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client;

/// <summary>
/// Random and mutated server responses against the whole client (connect, SELECT, FETCH with and without a sink,
/// LIST, STATUS, SEARCH, STORE): only our own exception types may come out, no case may hang, memory stays bounded.
/// </summary>
public sealed class FuzzTests
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var n) ? n : 100_000;

    private static readonly string[] ValidChunks =
    [
        "* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS ESEARCH CONDSTORE LITERAL+ ENABLE] hi\r\n",
        "* ENABLED CONDSTORE\r\nA1 OK enabled\r\n",
        "* FLAGS (\\Seen \\Deleted)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\n* OK [UIDNEXT 4] x\r\n* OK [HIGHESTMODSEQ 9] x\r\nA2 OK [READ-WRITE] done\r\n",
        "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (3) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" BODY[] {5}\r\nhello)\r\n* 2 FETCH (UID 2 FLAGS () BODY[] {0}\r\n)\r\n* 3 EXPUNGE\r\nA3 OK done\r\n",
        "* LIST (\\HasNoChildren) \".\" INBOX\r\n* LIST () \".\" \"&AMQ-rger\"\r\n* LIST (\\Noselect) NIL {3}\r\nabc\r\nA4 OK done\r\n",
        "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 HIGHESTMODSEQ 12)\r\nA5 OK done\r\n",
        "* ESEARCH (TAG \"A6\") UID ALL 1:3,5 COUNT 4\r\nA6 OK done\r\n",
        "* 1 FETCH (UID 1 MODSEQ (10) FLAGS (\\Seen))\r\n* VANISHED 4:5\r\nA7 OK [MODIFIED 2] done\r\n",
    ];

    private static readonly string[] Tokens =
    [
        "(", ")", "NIL", "\"", "{", "}", "*", "+ ", "A9 OK x\r\n", "~{3}\r\n", "[", "]", "\r\n", " ", "{999999999999}\r\n",
        "{70000}\r\n", "\\", "99999999999999999999", "0", "UID", "BODY[", "FETCH", "* BYE x\r\n", "A3 NO x\r\n", "\0", "\u00e9",
    ];

    [Fact]
    public async Task Mutated_and_random_server_responses_only_raise_our_errors()
    {
        var escaped = new ConcurrentQueue<string>();
        var outcomes = new int[3]; // ok, command error, protocol error
        var before = GC.GetTotalMemory(true);
        long peak = 0;
        var options = new UpstreamOptions
        {
            Host = "fuzz", Tls = TlsMode.None, User = "u", Password = "p", Compress = false,
            MaxLineLength = 8192, MaxInMemoryLiteral = 65536, MaxLiteralSize = 1 << 20, ReadTimeout = TimeSpan.FromSeconds(5),
        };
        var only = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ONLY"), out var o) ? o : -1;
        await Parallel.ForAsync(only < 0 ? 0 : only, only < 0 ? Cases : only + 1, new ParallelOptions { MaxDegreeOfParallelism = 128 }, async (i, _) =>
        {
            var random = new Random(i);
            var chunks = i % 10 == 9 ? RandomChunks(random) : Mutate(random);
            if (only >= 0) File.WriteAllText("/tmp/fuzz-case.txt", string.Join("\n----\n", chunks.Select(c => Encoding.UTF8.GetString(c))));
            try
            {
                var kind = await RunCaseAsync(chunks, options, i % 2 == 0).WaitAsync(TimeSpan.FromSeconds(20));
                Interlocked.Increment(ref outcomes[kind]);
            }
            catch (Exception e)
            {
                escaped.Enqueue($"case {i}: {e.GetType().Name}: {e.Message}");
            }
            if (i % 5000 == 0) InterlockedMax(ref peak, GC.GetTotalMemory(false));
        });
        var after = GC.GetTotalMemory(true);
        Assert.True(escaped.IsEmpty, string.Join("\n", escaped.Take(10)));
        Assert.Equal(Cases, outcomes.Sum());
        // Both paths were exercised: some cases survived whole, many broke the connection.
        Assert.True(outcomes[0] > 100 && outcomes[2] > 1000, $"ok {outcomes[0]}, NO/BAD {outcomes[1]}, protocol errors {outcomes[2]}");
        Assert.True(peak < 512L << 20, $"peak managed heap {peak >> 20} MB");
        Assert.True(after - before < 64L << 20, $"heap grew by {(after - before) >> 20} MB");
    }

    private static async Task<int> RunCaseAsync(IReadOnlyList<byte[]> chunks, UpstreamOptions options, bool useSink)
    {
        ImapClient? client = null;
        try
        {
            var trace = Environment.GetEnvironmentVariable("FUZZ_ONLY") is null ? null
                : new DelegateProtocolTrace((d, l) => File.AppendAllText("/tmp/fuzz-trace.txt", $"{d}: {l}\n"));
            client = await ImapClient.ConnectAsync(new FuzzServerStream(chunks), options, trace);
            var commandErrors = 0;
            Func<Task>[] steps =
            [
                () => client.SelectAsync("INBOX"),
                () => useSink
                    ? client.UidFetchAsync(UidSet.From(1), new FetchRequest(ModSeq: true, InternalDate: true, BodySection: ""), new TranscriptTests.MemorySink())
                    : client.UidFetchAsync(UidSet.From(1), new FetchRequest(ModSeq: true, InternalDate: true, BodySection: "")),
                () => client.ListAsync(),
                () => client.StatusAsync("INBOX", ["MESSAGES", "UIDNEXT"]),
                () => client.UidSearchAsync("ALL"),
                () => client.UidStoreAsync(UidSet.Range(1, 2), StoreAction.Add, ["\\Seen"], unchangedSince: 9),
            ];
            foreach (var step in steps)
            {
                try { await step(); }
                catch (ImapCommandException) { commandErrors++; }
            }
            return commandErrors > 0 ? 1 : 0;
        }
        catch (ImapProtocolException)
        {
            return 2;
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    private static byte[][] Mutate(Random random)
    {
        var chunks = ValidChunks.Select(c => Encoding.UTF8.GetBytes(c).ToList()).ToArray();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var chunk = chunks[random.Next(chunks.Length)];
            var at = random.Next(chunk.Count + 1);
            switch (random.Next(6))
            {
                case 0 when chunk.Count > 0: chunk[Math.Min(at, chunk.Count - 1)] = (byte)random.Next(256); break;
                case 1: chunk.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)])); break;
                case 2: chunk.RemoveRange(at, random.Next(Math.Min(20, chunk.Count - at) + 1)); break;
                case 3: chunk.InsertRange(at, chunk.Skip(random.Next(Math.Max(1, chunk.Count))).Take(random.Next(30)).ToArray()); break;
                case 4: chunk.RemoveRange(at, chunk.Count - at); break;
                default:
                    var noise = new byte[random.Next(1, 40)];
                    random.NextBytes(noise);
                    chunk.InsertRange(at, noise);
                    break;
            }
        }
        return chunks.Select(c => c.ToArray()).ToArray();
    }

    private static byte[][] RandomChunks(Random random)
    {
        var chunks = new byte[random.Next(1, 6)][];
        chunks[0] = Encoding.ASCII.GetBytes("* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
        for (var c = 1; c < chunks.Length; c++)
        {
            var text = new StringBuilder();
            for (var t = random.Next(1, 30); t > 0; t--) text.Append(Tokens[random.Next(Tokens.Length)]);
            chunks[c] = Encoding.UTF8.GetBytes(text.ToString());
        }
        return chunks;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
