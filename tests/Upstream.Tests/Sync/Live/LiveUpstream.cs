using System.Net.Sockets;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;
using ImapProxy.Upstream.Sync.Adapters.Imap;

namespace ImapProxy.Upstream.Tests.Sync.Live;

/// <summary>A Dovecot test bed and an <see cref="ImapMailSide"/> on it, with a protocol trace of every connection.</summary>
internal sealed class LiveUpstream : IAsyncDisposable
{
    private readonly List<string> _trace = new();
    private readonly List<CuttableStream> _streams = new();

    private LiveUpstream(DovecotTestBed bed) => Bed = bed;

    public DovecotTestBed Bed { get; }

    public ImapMailSide Side { get; private set; } = null!;

    public UpstreamOptions Options => new()
    {
        Host = Bed.Host, Port = Bed.Port, Tls = TlsMode.None, User = Bed.DefaultUser.Name, Password = Bed.DefaultUser.Password,
        ReadTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Client lines sent so far, over all connections.</summary>
    public List<string> Sent
    {
        get
        {
            lock (_trace)
            {
                return _trace.Where(l => l.StartsWith("Client ", StringComparison.Ordinal)).ToList();
            }
        }
    }

    public static async Task<LiveUpstream> StartAsync(int maxConnections = 2, params string[] hidden)
    {
        var bed = await DovecotTestBed.StartAsync(new DovecotOptions { HiddenCapabilities = hidden });
        var live = new LiveUpstream(bed);
        try
        {
            live.Side = await ImapMailSide.ConnectAsync(live.ConnectAsync, maxConnections);
            return live;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection through a stream the test can cut.</summary>
    private async Task<ImapClient> ConnectAsync(CancellationToken ct)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(Bed.Host, Bed.Port, ct);
        var stream = new CuttableStream(tcp.GetStream());
        lock (_streams)
        {
            _streams.Add(stream);
        }
        var trace = new DelegateProtocolTrace((direction, line) =>
        {
            lock (_trace)
            {
                _trace.Add($"{direction} {line}");
            }
        });
        return await ImapClient.ConnectAsync(stream, Options, trace, ct);
    }

    /// <summary>Breaks every connection opened so far after <paramref name="bytes"/> more bytes have been read on it.</summary>
    public void CutAfter(long bytes)
    {
        lock (_streams)
        {
            foreach (var stream in _streams)
            {
                stream.CutAfter(bytes);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Side.DisposeAsync();
        await Bed.DisposeAsync();
    }
}

/// <summary>A network stream that fails, like a dropped connection, once a byte budget is read.</summary>
internal sealed class CuttableStream(NetworkStream inner) : Stream
{
    private long _budget = long.MaxValue;

    public void CutAfter(long bytes) => Interlocked.Exchange(ref _budget, bytes);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var budget = Interlocked.Read(ref _budget);
        if (budget <= 0)
        {
            inner.Dispose();
            throw new IOException("connection cut by the test");
        }
        // Small reads, so that a read already pending when the budget is set cannot swallow a whole response.
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(Math.Min(buffer.Length, budget), 512)], cancellationToken);
        Interlocked.Add(ref _budget, -n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
