using ImapProxy.Upstream.Client.Sasl;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    private async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        var preferred = _options.Mechanisms ?? (_options.TokenProvider is not null
            ? ["OAUTHBEARER", "XOAUTH2"]
            : ["PLAIN", "LOGIN"]);
        foreach (var mechanism in preferred.Select(m => m.ToUpperInvariant()))
        {
            if (mechanism == "LOGIN")
            {
                // LOGINDISABLED (RFC 3501 §6.2.3): the server refuses LOGIN here, typically before TLS.
                if (Has("LOGINDISABLED")) continue;
                await LoginAsync(await PasswordAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                return;
            }
            if (!Has("AUTH=" + mechanism)) continue;
            var sasl = mechanism switch
            {
                "PLAIN" => new SaslPlain(_options.User, await PasswordAsync(cancellationToken).ConfigureAwait(false)),
                "XOAUTH2" => new SaslXOAuth2(_options.User, await TokenAsync(cancellationToken).ConfigureAwait(false)),
                "OAUTHBEARER" => new SaslOAuthBearer(_options.User, _options.Host, _options.EffectivePort, await TokenAsync(cancellationToken).ConfigureAwait(false)),
                _ => (SaslMechanism?)null,
            };
            if (sasl is null) continue;
            await AuthenticateAsync(sasl, cancellationToken).ConfigureAwait(false);
            return;
        }
        throw new ImapAuthenticationException("AUTHENTICATE", "NO", null,
            $"no usable login method on {_options.Host}: wanted {string.Join(", ", preferred)}; server offers " +
            $"{string.Join(", ", _capabilities.Where(c => c.StartsWith("AUTH=", StringComparison.Ordinal)).DefaultIfEmpty("no AUTH="))}" +
            (Has("LOGINDISABLED") ? " and LOGINDISABLED" : ""));
    }

    private async Task LoginAsync(string password, CancellationToken cancellationToken)
    {
        var utf8 = false; // before login, UTF8=ACCEPT cannot be enabled yet
        var builder = new CommandBuilder("LOGIN").Raw("LOGIN ")
            .AString(_options.User, utf8, secret: true).Raw(" ").AString(password, utf8, secret: true);
        var result = await RunAsync(builder, exclusive: true, cancellationToken).ConfigureAwait(false);
        AfterLogin(result, "LOGIN");
    }

    private async Task AuthenticateAsync(SaslMechanism sasl, CancellationToken cancellationToken)
    {
        var initial = Convert.ToBase64String(sasl.InitialResponse());
        // SASL-IR (RFC 4959): the initial response rides on the command line; an empty one is "=".
        var inline = Has("SASL-IR");
        var builder = new CommandBuilder("AUTHENTICATE").Raw($"AUTHENTICATE {sasl.Name}");
        if (inline) builder.Raw(" ").AString(initial.Length == 0 ? "=" : initial, false, secret: true);
        var sentInitial = inline;
        var result = await RunAsync(builder, exclusive: true, cancellationToken, onContinuation: async (line, frame) =>
        {
            if (!sentInitial)
            {
                sentInitial = true;
                await SendLineAsync(initial, secret: true).ConfigureAwait(false);
                return;
            }
            byte[] challenge;
            try { challenge = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(line.Rest(frame.Span)).Trim()); }
            catch (FormatException) { challenge = []; }
            await SendLineAsync(Convert.ToBase64String(sasl.Respond(challenge)), secret: true).ConfigureAwait(false);
        }).ConfigureAwait(false);
        AfterLogin(result, "AUTHENTICATE " + sasl.Name);
    }

    private void AfterLogin(CommandResult result, string command)
    {
        if (!result.IsOk) throw new ImapAuthenticationException(command, result.Status, result.Code, $"{_options.User}@{_options.Host}: {result.Text}");
        State = ImapClientState.Authenticated;
        // Servers often send new capabilities with the OK; if not, they are asked for on demand.
        if (result.Code is null || !result.Code.StartsWith("CAPABILITY", StringComparison.OrdinalIgnoreCase))
            _capabilities.Clear();
    }

    private async ValueTask<string> PasswordAsync(CancellationToken cancellationToken)
    {
        if (_options.PasswordProvider is { } provider) return await provider(cancellationToken).ConfigureAwait(false);
        return _options.Password ?? throw new ImapAuthenticationException("LOGIN", "NO", null, $"no password configured for {_options.User}@{_options.Host}");
    }

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_options.TokenProvider is { } provider) return await provider(cancellationToken).ConfigureAwait(false);
        throw new ImapAuthenticationException("AUTHENTICATE", "NO", null, $"no token command configured for {_options.User}@{_options.Host}");
    }
}
