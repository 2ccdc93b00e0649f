using System.Net;
using System.Net.Sockets;

namespace ImapProxy.Integration.Tests.Serve;

/// <summary>
/// A loopback TCP relay to an upstream that can simulate an outage: <see cref="GoDown"/> cuts every relayed
/// connection and closes new ones at once (as a server that is gone would), <see cref="ComeBack"/> relays again.
/// It also counts how many connections it carries at once (<see cref="PeakConnections"/>).
/// </summary>
internal sealed class OutageRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _down;

    public OutageRelay(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The most connections relayed at the same time so far.</summary>
    public int PeakConnections
    {
        get { lock (_open) return _peak; }
    }

    private int _peak;

    public void GoDown()
    {
        _down = true;
        lock (_open)
        {
            foreach (var client in _open)
                client.Client?.Close(0);
            _open.Clear();
        }
    }

    public void ComeBack() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_down)
            {
                inbound.Client.Close(0);
                continue;
            }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                // Accepted before GoDown but connected after it cleared the list: it must not outlive the outage.
                if (_down)
                {
                    inbound.Client.Close(0);
                    return;
                }
                _open.Add(inbound);
                _open.Add(outbound);
                _peak = Math.Max(_peak, _open.Count / 2);
            }
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut on purpose, or one side went away.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
            inbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        GoDown();
        await _accepting;
        _stop.Dispose();
    }
}
