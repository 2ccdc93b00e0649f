namespace ImapProxy.Upstream.Client.Sasl;

/// <summary>
/// One SASL mechanism as used by AUTHENTICATE: an optional initial response, then one answer per server
/// challenge. Responses are raw bytes; the client base64-encodes them and never traces them.
/// </summary>
internal abstract class SaslMechanism
{
    /// <summary>The name sent in AUTHENTICATE and advertised as AUTH=name.</summary>
    public abstract string Name { get; }

    /// <summary>The client-first message (sent as SASL-IR when the server allows it, else after the first "+").</summary>
    public abstract byte[] InitialResponse();

    /// <summary>Answers a challenge that came after the initial response (typically an error report).</summary>
    public virtual byte[] Respond(ReadOnlySpan<byte> challenge) => [];
}

/// <summary>PLAIN (RFC 4616): authzid empty, authcid, password.</summary>
internal sealed class SaslPlain(string user, string password) : SaslMechanism
{
    public override string Name => "PLAIN";

    public override byte[] InitialResponse() => System.Text.Encoding.UTF8.GetBytes($"\0{user}\0{password}");
}

/// <summary>
/// XOAUTH2 (Google, Microsoft). On failure the server sends a base64 JSON error as a challenge, and the client
/// must answer with an empty line to get the tagged NO.
/// </summary>
internal sealed class SaslXOAuth2(string user, string token) : SaslMechanism
{
    public override string Name => "XOAUTH2";

    public override byte[] InitialResponse() => System.Text.Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001");
}

/// <summary>
/// OAUTHBEARER (RFC 7628). On failure the server sends a JSON error challenge; the client answers with a lone
/// %x01 (RFC 7628 §3.2.3) and then gets the tagged NO.
/// </summary>
internal sealed class SaslOAuthBearer(string user, string host, int port, string token) : SaslMechanism
{
    public override string Name => "OAUTHBEARER";

    public override byte[] InitialResponse()
    {
        // gs2 "saslname" escaping (RFC 5801): ',' and '=' are escaped.
        var escaped = user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetBytes($"n,a={escaped},\u0001host={host}\u0001port={port}\u0001auth=Bearer {token}\u0001\u0001");
    }

    public override byte[] Respond(ReadOnlySpan<byte> challenge) => [0x01];
}
