using System.Text;
using ImapProxy.TestSupport;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Tests.Client.Live;

/// <summary>
/// TLS (implicit and STARTTLS), certificate pinning and COMPRESS=DEFLATE against a real Dovecot on loopback that
/// serves a self-signed certificate made for the test.
/// </summary>
public sealed class TlsCompressLiveTests
{
    private static byte[] Message(int i) => Encoding.ASCII.GetBytes(
        $"From: a@example.com\r\nTo: b@example.com\r\nSubject: message {i}\r\nMessage-ID: <m{i}@example.com>\r\n\r\n" +
        string.Concat(Enumerable.Repeat($"Body line of message {i}, compressible.\r\n", 200)));

    private static Task<DovecotTestBed> StartAsync(bool tls, bool compress)
        => DovecotTestBed.StartAsync(new DovecotOptions { Tls = tls, Compress = compress }, async bed =>
        {
            var maildir = bed.Maildir();
            for (var i = 1; i <= 3; i++) await maildir.AddAsync("INBOX", Message(i));
        });

    private static UpstreamOptions OptionsFor(DovecotTestBed bed, TlsMode tls, string? fingerprint) => new()
    {
        Host = bed.Host, Port = tls == TlsMode.Implicit ? bed.TlsPort : bed.Port, Tls = tls, Fingerprint = fingerprint,
        User = bed.DefaultUser.Name, Password = bed.DefaultUser.Password, Compress = false,
        ConnectTimeout = TimeSpan.FromSeconds(20), ReadTimeout = TimeSpan.FromSeconds(30),
    };

    private static async Task FetchesAndAppends(ImapClient client)
    {
        var inbox = await client.SelectAsync("INBOX");
        Assert.Equal(3u, inbox.Exists);
        var fetched = await client.UidFetchAsync(UidSet.Range(1, 3), new FetchRequest(BodySection: ""));
        Assert.Equal(Message(2), fetched.Messages.Single(m => m.Uid == 2).Body!.Value.ToArray());
        var appended = await client.AppendAsync("INBOX", [new AppendMessage(new MemoryStream(Message(9)), Message(9).Length)]);
        var back = await client.UidFetchAsync(UidSet.Range(appended.DestinationUids[0], appended.DestinationUids[0]), new FetchRequest(BodySection: ""));
        Assert.Equal(Message(9), back.Messages.Single().Body!.Value.ToArray());
    }

    [Fact]
    public async Task Implicit_tls_with_the_right_pin_works()
    {
        await using var bed = await StartAsync(tls: true, compress: false);
        var pin = TestCertificate.Sha256Fingerprint(bed.Certificate!);
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed, TlsMode.Implicit, pin.ToLowerInvariant()));
        Assert.True(client.IsEncrypted);
        Assert.Equal(ImapClientState.Authenticated, client.State);
        await FetchesAndAppends(client);
        await client.LogoutAsync();
    }

    [Fact]
    public async Task Starttls_with_the_right_pin_upgrades_and_asks_for_capabilities_again()
    {
        await using var bed = await StartAsync(tls: true, compress: false);
        var pin = TestCertificate.Sha256Fingerprint(bed.Certificate!);
        var trace = new List<string>();
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed, TlsMode.StartTls, pin),
            new DelegateProtocolTrace((d, l) => { lock (trace) trace.Add($"{d} {l}"); }));
        Assert.True(client.IsEncrypted);
        var starttls = trace.FindIndex(l => l.Contains("STARTTLS", StringComparison.Ordinal) && !l.Contains("CAPABILITY", StringComparison.Ordinal));
        Assert.True(starttls >= 0, string.Join("\n", trace));
        Assert.Contains(trace.Skip(starttls + 1), l => l.EndsWith(" CAPABILITY", StringComparison.Ordinal));
        // Dovecot stops offering STARTTLS once TLS is on.
        Assert.DoesNotContain("STARTTLS", client.Capabilities);
        await FetchesAndAppends(client);
    }

    [Theory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task A_wrong_pin_is_refused_with_a_clear_error(TlsMode mode)
    {
        await using var bed = await StartAsync(tls: true, compress: false);
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        var e = await Assert.ThrowsAsync<ImapConnectionException>(() => ImapClient.ConnectAsync(OptionsFor(bed, mode, wrong)));
        Assert.True(e.IsPermanent);
        Assert.Contains("127.0.0.1", e.Message);
        Assert.Contains("not the pinned fingerprint", e.Message);
        Assert.Contains(TestCertificate.Sha256Fingerprint(bed.Certificate!), e.Message);
    }

    [Theory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task An_untrusted_certificate_without_a_pin_is_refused(TlsMode mode)
    {
        await using var bed = await StartAsync(tls: true, compress: false);
        var e = await Assert.ThrowsAsync<ImapConnectionException>(() => ImapClient.ConnectAsync(OptionsFor(bed, mode, null)));
        Assert.True(e.IsPermanent);
        Assert.Contains("127.0.0.1", e.Message);
        Assert.Contains("not trusted", e.Message);
        Assert.Contains("fingerprint", e.Message);
    }

    [Fact]
    public async Task Starttls_is_refused_when_the_server_does_not_offer_it()
    {
        await using var bed = await StartAsync(tls: false, compress: false);
        var e = await Assert.ThrowsAsync<ImapConnectionException>(() => ImapClient.ConnectAsync(OptionsFor(bed, TlsMode.StartTls, null)));
        Assert.Contains("does not offer STARTTLS", e.Message);
    }

    [Fact]
    public async Task Compress_deflate_is_negotiated_and_carries_fetch_and_append()
    {
        await using var bed = await StartAsync(tls: false, compress: true);
        var trace = new List<string>();
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed, TlsMode.None, null) with { Compress = true },
            new DelegateProtocolTrace((d, l) => { lock (trace) trace.Add($"{d} {l}"); }));
        Assert.Contains("COMPRESS=DEFLATE", client.Capabilities);
        Assert.True(client.IsCompressed);
        Assert.Contains(trace, l => l.EndsWith("COMPRESS DEFLATE", StringComparison.Ordinal));
        await FetchesAndAppends(client);
        // Pipelined commands through the compressed stream.
        var fetches = Enumerable.Range(1, 3).Select(i => client.UidFetchAsync(UidSet.Range((uint)i, (uint)i), new FetchRequest(BodySection: ""))).ToArray();
        var results = await Task.WhenAll(fetches);
        for (var i = 1; i <= 3; i++) Assert.Equal(Message(i), results[i - 1].Messages.Single().Body!.Value.ToArray());
        await client.LogoutAsync();
    }

    [Fact]
    public async Task Compress_over_starttls_works()
    {
        await using var bed = await StartAsync(tls: true, compress: true);
        var pin = TestCertificate.Sha256Fingerprint(bed.Certificate!);
        await using var client = await ImapClient.ConnectAsync(OptionsFor(bed, TlsMode.StartTls, pin) with { Compress = true });
        Assert.True(client.IsEncrypted);
        Assert.True(client.IsCompressed);
        await FetchesAndAppends(client);
    }
}
