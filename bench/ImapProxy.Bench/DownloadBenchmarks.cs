using System.Diagnostics;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Bench;

/// <summary>
/// Issue 5's download benchmark (<c>dotnet run -c Release --project bench/ImapProxy.Bench -- download</c>): every
/// message of the corpus plus the synthetic set is downloaded from Dovecot on loopback with
/// <c>UID FETCH a:b BODY.PEEK[]</c> in chunks, several chunks in flight as a synchronizer sends them, through
/// <see cref="ImapClient"/> (bodies streamed to a sink), against the floor: the same pipelined commands over a raw
/// socket whose reader only skips the literals (<see cref="WireClient"/>). Both run in the same process against the
/// same warm Dovecot, alternating, and the figures are the median of the rounds. Stopwatch, not BenchmarkDotNet: the
/// setup (seeding 56,000 messages) takes minutes and the two sides are compared back to back.
/// Knobs: IMAPPROXY_BENCH_SYNTHETIC (50000), IMAPPROXY_BENCH_ROUNDS (5), IMAPPROXY_BENCH_CHUNK (500 UIDs per
/// command), IMAPPROXY_BENCH_INFLIGHT (4 commands in flight).
/// </summary>
public static class DownloadBenchmarks
{
    private static readonly string[] Folders = ["INBOX", "Synthetic"];

    /// <summary>Seeds Dovecot, then times both downloads and prints the figures and their ratio.</summary>
    public static async Task RunAsync()
    {
        var synthetic = Knob("IMAPPROXY_BENCH_SYNTHETIC", 50_000);
        var rounds = Knob("IMAPPROXY_BENCH_ROUNDS", 5);
        var chunk = Knob("IMAPPROXY_BENCH_CHUNK", 500);
        var inFlight = Knob("IMAPPROXY_BENCH_INFLIGHT", 4);
        var sw = Stopwatch.StartNew();
        var mail = new BenchMail(synthetic, large: 0);
        await using var dovecot = await DovecotTestBed.StartAsync(seed: bed => mail.WriteAsync(bed.Maildir().Root, bed.Maildir()));
        Console.WriteLine($"// seeded {mail.Describe()} in {sw.Elapsed.TotalSeconds:N0} s; chunks of {chunk} UIDs, {inFlight} in flight");

        var counts = new Dictionary<string, uint>();
        await using (var probe = await ConnectAsync(dovecot))
        {
            foreach (var folder in Folders) counts[folder] = (await probe.SelectAsync(folder)).Exists;
        }
        Console.WriteLine($"// {counts.Values.Sum(c => (long)c):N0} messages in {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"))}");

        // Warm Dovecot's index and cache and the page cache, and JIT both paths, before measuring.
        var rawBytes = await RawAsync(dovecot, counts, chunk);
        var clientBytes = await ClientAsync(dovecot, counts, chunk, inFlight);
        Console.WriteLine($"// warm-up: raw socket read {Mb(rawBytes)} on the wire, ImapClient {Mb(clientBytes)} of message bodies");

        var raw = new List<double>();
        var client = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            sw.Restart();
            await RawAsync(dovecot, counts, chunk);
            raw.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            var bytes = await ClientAsync(dovecot, counts, chunk, inFlight);
            client.Add(sw.Elapsed.TotalSeconds);
            if (bytes != clientBytes) throw new InvalidOperationException($"round {round}: {bytes} body bytes, expected {clientBytes}");
        }
        var rawMedian = Median(raw);
        var clientMedian = Median(client);
        Console.WriteLine($"raw pipelined socket read (floor): median {rawMedian:N3} s  [{string.Join(", ", raw.Select(t => t.ToString("N3")))}]  {rawBytes / rawMedian / 1e6:N0} MB/s");
        Console.WriteLine($"ImapClient UID FETCH BODY.PEEK[]:  median {clientMedian:N3} s  [{string.Join(", ", client.Select(t => t.ToString("N3")))}]  {clientBytes / clientMedian / 1e6:N0} MB/s of bodies");
        Console.WriteLine($"ratio ImapClient / floor: {clientMedian / rawMedian:N2} (goal <= 1.5)");
        Console.WriteLine($"// load: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
    }

    private static Task<ImapClient> ConnectAsync(DovecotTestBed bed) => ImapClient.ConnectAsync(new UpstreamOptions
    {
        Host = bed.Host, Port = bed.Port, Tls = TlsMode.None, User = bed.DefaultUser.Name, Password = bed.DefaultUser.Password,
        Compress = false, ReadTimeout = TimeSpan.FromMinutes(5),
    });

    private static IEnumerable<(uint First, uint Last)> Chunks(uint count, int chunk)
    {
        for (uint first = 1; first <= count; first += (uint)chunk) yield return (first, Math.Min(count, first + (uint)chunk - 1));
    }

    /// <summary>The floor: every command written at once, the reader skipping literals; returns bytes received.</summary>
    private static async Task<long> RawAsync(DovecotTestBed bed, Dictionary<string, uint> counts, int chunk)
    {
        await using var wire = await WireClient.ConnectAsync(bed.Port);
        await wire.PipelineAsync($"LOGIN {bed.DefaultUser.Name} {bed.DefaultUser.Password}");
        var commands = new List<string>();
        foreach (var folder in Folders)
        {
            commands.Add($"SELECT {folder}");
            commands.AddRange(Chunks(counts[folder], chunk).Select(c => $"UID FETCH {c.First}:{c.Last} BODY.PEEK[]"));
        }
        var before = wire.BytesReceived;
        await wire.PipelineAsync([.. commands]);
        return wire.BytesReceived - before;
    }

    /// <summary>Through the client: up to <paramref name="inFlight"/> chunk commands pipelined, bodies streamed to a
    /// counting sink; returns the body bytes.</summary>
    private static async Task<long> ClientAsync(DovecotTestBed bed, Dictionary<string, uint> counts, int chunk, int inFlight)
    {
        await using var client = await ConnectAsync(bed);
        var sink = new CountingSink();
        foreach (var folder in Folders)
        {
            await client.SelectAsync(folder);
            var running = new List<Task<FetchResult>>();
            foreach (var (first, last) in Chunks(counts[folder], chunk))
            {
                if (running.Count == inFlight)
                {
                    var done = await Task.WhenAny(running);
                    await done;
                    running.Remove(done);
                }
                running.Add(client.UidFetchAsync(UidSet.Range(first, last), new FetchRequest(Flags: false, BodySection: ""), sink));
            }
            await Task.WhenAll(running);
        }
        if (sink.Messages != counts.Values.Sum(c => (long)c))
            throw new InvalidOperationException($"{sink.Messages} messages downloaded, expected {counts.Values.Sum(c => (long)c)}");
        await client.LogoutAsync();
        return sink.Bytes;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N1} MB";

    private static int Knob(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    /// <summary>Counts the bytes and messages streamed to it and keeps nothing.</summary>
    private sealed class CountingSink : IFetchBodySink
    {
        private readonly CountingStream _stream = new();

        public long Bytes => _stream.Length;

        public long Messages { get; private set; }

        public ValueTask<Stream> OpenAsync(uint sequenceNumber, uint uid, long length, CancellationToken cancellationToken)
            => ValueTask.FromResult<Stream>(_stream);

        public ValueTask CompleteAsync(FetchedMessage message, Stream? body, CancellationToken cancellationToken)
        {
            Messages++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
