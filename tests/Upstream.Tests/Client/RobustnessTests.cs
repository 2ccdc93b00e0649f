using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client;

/// <summary>Hostile or broken servers: each gives our error type and a closed connection, never a hang or a crash.</summary>
public sealed class RobustnessTests
{
    private const string Preauth = "S: * PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] ready";

    private static async Task<ImapProtocolException> ExpectBrokenAsync(string script, Func<ImapClient, Task> action, Func<UpstreamOptions, UpstreamOptions>? tweak = null)
    {
        await using var server = ScriptedServer.FromText(script);
        await using var client = await ImapClient.ConnectAsync(server.Options(tweak));
        var error = await Assert.ThrowsAnyAsync<ImapProtocolException>(() => action(client)).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ImapClientState.Closed, client.State);
        // Later commands fail at once with the same error type.
        await Assert.ThrowsAnyAsync<ImapProtocolException>(() => client.NoopAsync());
        return error;
    }

    [Fact]
    public async Task Connection_dropped_mid_literal()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a UID FETCH 1 (UID BODY.PEEK[])
            S!: * 1 FETCH (UID 1 BODY[] {100}\r\nonly a few bytes
            CLOSE
            """, c => c.UidFetchAsync(UidSet.Range(1, 1), new FetchRequest(Flags: false, BodySection: "")));
        Assert.Contains("literal", error.Message);
    }

    [Fact]
    public async Task Literal_larger_than_the_limit_is_refused_before_buffering()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a UID FETCH 1 (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS {99999999999}
            """, c => c.UidFetchAsync(UidSet.Range(1, 1), new FetchRequest()), o => o with { MaxLiteralSize = 1 << 20 });
        Assert.Contains("99999999999", error.Message);
    }

    [Fact]
    public async Task Huge_line_is_cut_off_at_the_limit()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a NOOP
            S!: * OK {{new string('x', 300_000)}}
            """, c => c.NoopAsync(), o => o with { MaxLineLength = 64 * 1024 });
        Assert.Contains("longer than", error.Message);
    }

    [Fact]
    public async Task Tag_that_was_never_sent()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a NOOP
            S: Z999 OK what?
            """, c => c.NoopAsync());
        Assert.Contains("Z999", error.Message);
    }

    [Fact]
    public async Task Garbage_instead_of_a_response()
    {
        await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a NOOP
            S: ◊◊◊ GARBAGE (((
            """, c => c.NoopAsync());
    }

    [Fact]
    public async Task Malformed_fetch_data()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a UID FETCH 1:* (UID FLAGS)
            S: * 1 FETCH (UID notanumber FLAGS (\Seen))
            """, c => c.UidFetchAsync(UidSet.From(1), new FetchRequest()));
        Assert.Contains("UID", error.Message);
    }

    [Fact]
    public async Task Bye_then_close_says_why()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a NOOP
            S: * BYE [UNAVAILABLE] Server shutting down
            CLOSE
            """, c => c.NoopAsync());
        Assert.Contains("Server shutting down", error.Message);
        Assert.True(ImapConnector.IsTransient(error));
    }

    [Fact]
    public async Task Silent_server_hits_the_read_timeout()
    {
        var error = await ExpectBrokenAsync($$"""
            {{Preauth}}
            C: $a NOOP
            """, c => c.NoopAsync(), o => o with { ReadTimeout = TimeSpan.FromSeconds(2) });
        Assert.Contains("read timeout", error.Message);
    }

    [Fact]
    public async Task Starttls_asked_but_not_offered_is_refused()
    {
        await using var server = ScriptedServer.FromText("""
            S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] plain only
            """);
        var error = await Assert.ThrowsAsync<ImapConnectionException>(() => ImapClient.ConnectAsync(server.Options(o => o with { Tls = TlsMode.StartTls })));
        Assert.True(error.IsPermanent);
        Assert.Contains("STARTTLS", error.Message);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task Starttls_bytes_injected_after_ok_are_refused()
    {
        await using var server = ScriptedServer.FromText("""
            S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready
            C: $a STARTTLS
            S: $a OK Begin TLS negotiation now\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected
            """);
        var error = await Assert.ThrowsAnyAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(server.Options(o => o with { Tls = TlsMode.StartTls })));
        Assert.Contains("after accepting STARTTLS", error.Message);
    }

    [Fact]
    public void Plaintext_to_a_remote_host_needs_allowplaintext()
    {
        var options = new UpstreamOptions { Host = "imap.example.com", Tls = TlsMode.None, User = "u" };
        var error = Assert.Throws<ImapConnectionException>(() => Upstream.Client.Transport.ImapTransport.CheckPlaintextAllowed(options));
        Assert.Contains("imap.example.com", error.Message);
        Upstream.Client.Transport.ImapTransport.CheckPlaintextAllowed(options with { AllowPlaintext = true });
        Upstream.Client.Transport.ImapTransport.CheckPlaintextAllowed(options with { Host = "::1" });
    }

    [Fact]
    public async Task Logindisabled_with_only_login_allowed_fails_clearly()
    {
        await using var server = ScriptedServer.FromText("""
            S: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED STARTTLS] ready
            """);
        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() => ImapClient.ConnectAsync(server.Options(o => o with { Mechanisms = ["LOGIN"] })));
        Assert.Contains("LOGINDISABLED", error.Message);
    }

    [Fact]
    public async Task Login_quotes_and_redacts_credentials()
    {
        await using var server = ScriptedServer.FromText("""
            S: * OK [CAPABILITY IMAP4rev1] ready
            C: $a LOGIN user "p\"w d"
            S: $a NO [AUTHENTICATIONFAILED] Authentication failed.
            """);
        var trace = new List<string>();
        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() =>
            ImapClient.ConnectAsync(server.Options(o => o with { Password = "p\"w d" }), new DelegateProtocolTrace((_, l) => trace.Add(l))));
        Assert.Equal("AUTHENTICATIONFAILED", error.ResponseCode);
        Assert.Contains("A1 LOGIN *** ***", trace);
        Assert.DoesNotContain(trace, l => l.Contains("p\\\"w") || l.Contains("user"));
    }

    [Fact]
    public async Task Xoauth2_error_challenge_is_answered_and_refusal_reported()
    {
        // Gmail-style XOAUTH2 failure: a base64 JSON challenge, an empty answer, then NO.
        await using var server = ScriptedServer.FromText("""
            S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN] ready
            C: $a AUTHENTICATE XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHRva2VuLTEyMwEB
            S: + eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==
            C: 
            S: $a NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)
            """);
        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => { try { await ImapClient.ConnectAsync(server.Options(o => o with
        {
            Mechanisms = ["XOAUTH2"], TokenProvider = _ => ValueTask.FromResult("token-123"),
        })); } catch (ImapProtocolException) { await server.CompletedAsync(); throw; } });
        Assert.Contains("Invalid credentials", error.Message);
        await server.CompletedAsync();
    }
}
