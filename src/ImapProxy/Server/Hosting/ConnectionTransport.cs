using System.IO.Pipelines;

namespace ImapProxy.Server;

/// <summary>What a session knows about its connection: the byte pipes and whether they are private enough for passwords.</summary>
/// <param name="Pipe">The connection's input and output.</param>
/// <param name="IsLoopback">The peer connected over the loopback interface.</param>
/// <param name="IsTls">The connection is already encrypted (implicit TLS).</param>
/// <param name="Remote">The peer's address, for logs.</param>
/// <param name="CanStartTls">A certificate is configured, so STARTTLS may be offered.</param>
internal sealed record ConnectionTransport(IDuplexPipe Pipe, bool IsLoopback, bool IsTls, string Remote, bool CanStartTls);
