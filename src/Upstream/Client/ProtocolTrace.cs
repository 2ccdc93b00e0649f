namespace ImapProxy.Upstream.Client;

/// <summary>Who sent a traced line.</summary>
public enum TraceDirection
{
    /// <summary>A line the client sent.</summary>
    Client,

    /// <summary>A line the server sent.</summary>
    Server,
}

/// <summary>
/// Receives the protocol conversation line by line, for debugging. Secrets are already removed: LOGIN and
/// AUTHENTICATE arguments and SASL exchanges appear as <c>***</c>, and literal contents as <c>{n bytes}</c>.
/// </summary>
public interface IProtocolTrace
{
    /// <summary>One line (without CRLF).</summary>
    void Line(TraceDirection direction, string text);
}

/// <summary>A trace that calls a delegate; handy for tests and for adapting to a logger.</summary>
public sealed class DelegateProtocolTrace(Action<TraceDirection, string> line) : IProtocolTrace
{
    /// <inheritdoc />
    public void Line(TraceDirection direction, string text) => line(direction, text);
}
