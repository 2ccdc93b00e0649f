using System.Net;
using System.Net.Sockets;

namespace ImapProxy.TestSupport;

/// <summary>One protocol line seen by a <see cref="FaultRelay"/> (literal contents left out).</summary>
/// <param name="Connection">The connection, numbered from 0 in the order the relay accepted them.</param>
/// <param name="FromClient">True for a line the client sent, false for one the server sent.</param>
/// <param name="Text">The line without its CRLF.</param>
public sealed record RelayLine(int Connection, bool FromClient, string Text);

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that can cut a connection after a chosen number of bytes, counted
/// over both directions together: the way to make a client see a connection die at an arbitrary point of an
/// exchange (mid-literal, mid-response, between a command and its reply). The cut is an RST on both sides, as a
/// dropped network path or a killed peer looks, not a polite FIN.
/// </summary>
/// <remarks>
/// It can also freeze: stop passing bytes on every connection, in both directions, from a chosen byte or protocol
/// line on, so that a client process stands still at a known point of its conversation (a command sent or not, a
/// reply received or not) until the test kills it.
/// </remarks>
public sealed class FaultRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private readonly Lock _gate = new();
    private readonly List<int> _cutConnections = [];
    private readonly TaskCompletionSource<string> _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _accepted;
    private long _bytes;

    private FaultRelay(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// For the n-th accepted connection (0-based), the number of bytes after which it is cut, or null to leave it
    /// whole. Read when the connection is accepted; may be changed between connections.
    /// </summary>
    public Func<int, long?> CutAfter { get; set; } = _ => null;

    /// <summary>
    /// Cuts whichever connection carries this byte of the relay's whole traffic (all connections, both directions,
    /// counted together); the others go on. Null for none. At most one cut this way per relay.
    /// </summary>
    public long? CutAtTotalByte { get; set; }

    /// <summary>Freezes the relay (see <see cref="Frozen"/>) once this many bytes have passed in all; null for never.</summary>
    public long? FreezeAtTotalByte { get; set; }

    /// <summary>
    /// Called for every protocol line passing the relay, before the bytes holding it are passed on; returning true
    /// freezes the relay with those bytes held back (a client command never reaches the server, a server reply never
    /// reaches the client).
    /// </summary>
    public Func<RelayLine, bool>? FreezeOnLine { get; set; }

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections this relay cut so far.</summary>
    public int Cuts
    {
        get
        {
            lock (_gate)
            {
                return _cutConnections.Count;
            }
        }
    }

    /// <summary>The indexes (in accept order) of the connections cut so far.</summary>
    public IReadOnlyList<int> CutConnections
    {
        get
        {
            lock (_gate)
            {
                return [.. _cutConnections];
            }
        }
    }

    /// <summary>Bytes passed through so far, both directions of every connection together.</summary>
    public long BytesRelayed => Interlocked.Read(ref _bytes);

    /// <summary>Completes, with what froze it, when the relay freezes: from then on no byte passes either way.</summary>
    public Task<string> Frozen => _frozen.Task;

    /// <summary>Starts a relay to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static FaultRelay Start(string host, int port) => new(new IPEndPoint(IPAddress.Parse(host), port));

    /// <summary>Freezes the relay now (see <see cref="Frozen"/>).</summary>
    public void Freeze(string reason) => _frozen.TrySetResult(reason);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var index = Interlocked.Increment(ref _accepted) - 1;
            var budget = CutAfter(index);
            lock (_connections)
            {
                _connections.Add(RelayAsync(client, index, budget));
            }
        }
    }

    private async Task RelayAsync(Socket client, int index, long? budget)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Reset(client);
                return;
            }
            var connection = new Connection(index, budget);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client, server, connection, fromClient: true, done.Token);
            var down = PumpAsync(server, client, connection, fromClient: false, done.Token);
            await Task.WhenAny(up, down);
            if (connection.Cut)
            {
                lock (_gate)
                {
                    _cutConnections.Add(index);
                }
                Reset(client);
                Reset(server);
            }
            else
            {
                // One side closed normally: let the other direction drain, then close.
                await Task.WhenAny(Task.WhenAll(up, down), Task.Delay(TimeSpan.FromSeconds(5), _stop.Token).ContinueWith(_ => { }));
            }
            await done.CancelAsync();
            try
            {
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Connection connection, bool fromClient, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var scanner = new ImapLineScanner();
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    if (!_frozen.Task.IsCompleted)
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }
                    return;
                }
                var allowed = Admit(connection, fromClient, scanner, buffer.AsSpan(0, read));
                if (allowed > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, allowed), SocketFlags.None, cancellationToken);
                }
                if (connection.Cut)
                {
                    return;
                }
                if (_frozen.Task.IsCompleted)
                {
                    // Hold everything until the relay is disposed; the client is killed meanwhile.
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>How many bytes of <paramref name="chunk"/> may pass; sets a cut or the freeze as they fall due.</summary>
    private int Admit(Connection connection, bool fromClient, ImapLineScanner scanner, ReadOnlySpan<byte> chunk)
    {
        if (_frozen.Task.IsCompleted)
        {
            return 0;
        }
        if (FreezeOnLine is { } freezeOnLine)
        {
            foreach (var line in scanner.Feed(chunk))
            {
                if (freezeOnLine(new RelayLine(connection.Index, fromClient, line)))
                {
                    Freeze($"connection {connection.Index}, {(fromClient ? "client" : "server")} line \"{line}\"");
                    return 0;
                }
            }
        }
        lock (_gate)
        {
            var allowed = connection.Take(chunk.Length);
            var total = _bytes;
            if (CutAtTotalByte is { } cutAt && total < cutAt && total + allowed >= cutAt)
            {
                allowed = (int)(cutAt - total);
                connection.Cut = true;
            }
            if (FreezeAtTotalByte is { } freezeAt && total + allowed >= freezeAt)
            {
                allowed = (int)Math.Max(0, freezeAt - total);
                Freeze($"connection {connection.Index}, byte {freezeAt} of the relay's traffic");
            }
            _bytes = total + allowed;
            return allowed;
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops accepting and cuts every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open);
        _stop.Dispose();
    }

    /// <summary>One relayed connection: its index and the bytes left before its own cut, shared by both directions.</summary>
    private sealed class Connection(int index, long? limit)
    {
        private long _left = limit ?? long.MaxValue;
        private volatile bool _cut;

        public int Index => index;

        public bool Cut
        {
            get => _cut;
            set => _cut = value;
        }

        /// <summary>Takes up to <paramref name="wanted"/> bytes from the budget; returns how many may pass. Called under the relay's lock.</summary>
        public int Take(int wanted)
        {
            var granted = (int)Math.Min(wanted, Math.Max(0, _left));
            _left -= granted;
            if (limit is not null && _left <= 0)
            {
                _cut = true;
            }
            return granted;
        }
    }
}
