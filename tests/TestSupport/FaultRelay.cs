using System.Net;
using System.Net.Sockets;

namespace ImapProxy.TestSupport;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that can cut a connection after a chosen number of bytes, counted
/// over both directions together: the way to make a client see a connection die at an arbitrary point of an
/// exchange (mid-literal, mid-response, between a command and its reply). The cut is an RST on both sides, as a
/// dropped network path or a killed peer looks, not a polite FIN.
/// </summary>
public sealed class FaultRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _cuts;
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

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections this relay cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Bytes passed through so far, both directions of every connection together.</summary>
    public long BytesRelayed => Interlocked.Read(ref _bytes);

    /// <summary>Starts a relay to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static FaultRelay Start(string host, int port) => new(new IPEndPoint(IPAddress.Parse(host), port));

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
                _connections.Add(RelayAsync(client, budget));
            }
        }
    }

    private async Task RelayAsync(Socket client, long? budget)
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
            var shared = new ByteBudget(budget);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client, server, shared, n => Interlocked.Add(ref _bytes, n), done.Token);
            var down = PumpAsync(server, client, shared, n => Interlocked.Add(ref _bytes, n), done.Token);
            await Task.WhenAny(up, down);
            if (shared.Exhausted)
            {
                Interlocked.Increment(ref _cuts);
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

    private static async Task PumpAsync(Socket from, Socket to, ByteBudget budget, Action<int> relayed, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                var allowed = budget.Take(read);
                if (allowed > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, allowed), SocketFlags.None, cancellationToken);
                    relayed(allowed);
                }
                if (allowed < read || budget.Exhausted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
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

    /// <summary>Bytes left before the cut, shared by both directions of one connection.</summary>
    private sealed class ByteBudget(long? limit)
    {
        private long _left = limit ?? long.MaxValue;

        public bool Exhausted => limit is not null && Interlocked.Read(ref _left) <= 0;

        /// <summary>Takes up to <paramref name="wanted"/> bytes from the budget; returns how many may pass.</summary>
        public int Take(int wanted)
        {
            while (true)
            {
                var left = Interlocked.Read(ref _left);
                var granted = (int)Math.Min(wanted, Math.Max(0, left));
                if (Interlocked.CompareExchange(ref _left, left - granted, left) == left)
                {
                    return granted;
                }
            }
        }
    }
}
