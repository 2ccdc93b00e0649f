using System.Buffers;
using BenchmarkDotNet.Attributes;
using ImapProxy.Protocol;

namespace ImapProxy.Bench;

/// <summary>
/// Parses the recorded server side of <c>UID FETCH 1:* (ENVELOPE BODYSTRUCTURE)</c> over the SpamAssassin corpus
/// as Dovecot sends it (make it with scripts/record-fetch-stream): framing, response parsing into generic values,
/// and the typed FETCH items. Throughput = file size / mean time.
/// </summary>
[MemoryDiagnoser]
public class FetchStreamParsing
{
    private byte[] _stream = [];
    private ReadOnlySequence<byte> _segmented;

    /// <summary>Loads the recording; fails with instructions when it is missing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var cache = Environment.GetEnvironmentVariable("IMAPPROXY_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "imapproxy");
        var path = Path.Combine(cache, "fetch-envelope-bodystructure.imap");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run scripts/record-fetch-stream first", path);
        _stream = File.ReadAllBytes(path);
        _segmented = Segments.Of(_stream, 4096);
        var count = Run(_segmented, copy: true);
        Console.WriteLine($"// {path}: {_stream.Length} bytes, {count} FETCH responses");
    }

    /// <summary>As from a pipe: 4 KiB segments, each response copied once out of them.</summary>
    [Benchmark(Baseline = true)]
    public int PipeSegments() => Run(_segmented, copy: true);

    /// <summary>One contiguous buffer: responses reference it, nothing is copied.</summary>
    [Benchmark]
    public int Contiguous() => Run(new ReadOnlySequence<byte>(_stream), copy: false);

    private static int Run(ReadOnlySequence<byte> buffer, bool copy)
    {
        var frames = new ImapFrameReader(FrameKind.Responses);
        var fetches = 0;
        while (true)
        {
            var r = frames.Read(buffer);
            if (r.Status != FrameStatus.Complete) break;
            var raw = copy || !r.Frame.IsSingleSegment ? r.Frame.ToArray() : r.Frame.First;
            if (!ImapResponse.TryParse(raw, null, out var response, out var error))
                throw new InvalidDataException(error);
            if (response!.Name == "FETCH")
            {
                if (!FetchItems.TryParse(response, out var items, out error) || items!.Uid is null || items.Envelope is null)
                    throw new InvalidDataException(error ?? "FETCH without UID or ENVELOPE");
                fetches++;
            }
            buffer = buffer.Slice(r.Consumed);
        }
        if (buffer.Length != 0) throw new InvalidDataException($"{buffer.Length} bytes left unparsed");
        return fetches;
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(byte[] data, int size)
        {
            var first = new Segments(data.AsMemory(0, Math.Min(size, data.Length)), 0);
            var last = first;
            for (var at = first.Memory.Length; at < data.Length; at += size)
            {
                var next = new Segments(data.AsMemory(at, Math.Min(size, data.Length - at)), at);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
