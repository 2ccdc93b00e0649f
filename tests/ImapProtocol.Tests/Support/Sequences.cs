using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol.Tests.Support;

/// <summary>Builds ReadOnlySequences the way a pipe hands them out: whole, one byte per segment, or cut at given points.</summary>
public static class Sequences
{
    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    public static ReadOnlySequence<byte> Whole(byte[] data) => new(data);

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)).ToArray());

    /// <summary>One contiguous segment whose memory is not an array (as from native or pooled unmanaged memory):
    /// the reader cannot reference the array, so it takes its general path on contiguous input.</summary>
    public static ReadOnlySequence<byte> NotArrayBacked(byte[] data) => new(new OpaqueMemory(data).Memory);

    /// <summary>Cuts <paramref name="data"/> into segments at the given sorted offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int[] cuts)
    {
        if (data.Length == 0) return ReadOnlySequence<byte>.Empty;
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length).ToArray();
        var first = new Segment(data.AsMemory(0, bounds[0]), 0);
        var last = first;
        var start = bounds[0];
        foreach (var end in bounds.Skip(1))
        {
            last = last.Append(data.AsMemory(start, end - start));
            start = end;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Random cut points, reproducible from <paramref name="seed"/>.</summary>
    public static ReadOnlySequence<byte> RandomSplit(byte[] data, int seed)
    {
        var rng = new Random(seed);
        var count = data.Length < 2 ? 0 : rng.Next(1, Math.Min(data.Length, 8));
        var cuts = Enumerable.Range(0, count).Select(_ => rng.Next(1, Math.Max(2, data.Length))).ToArray();
        return Split(data, cuts);
    }

    /// <summary>Memory over an array that does not reveal the array (TryGetArray answers false).</summary>
    private sealed class OpaqueMemory(byte[] data) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => data;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
