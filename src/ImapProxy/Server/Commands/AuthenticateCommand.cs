using System.Text;

namespace ImapProxy.Server.Commands;

/// <summary>AUTHENTICATE PLAIN (RFC 3501 §6.2.2, RFC 4616), with the initial response on the command line (SASL-IR, RFC 4959).</summary>
internal sealed class AuthenticateCommand : ICommandHandler
{
    public async ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var mechanism = context.Args.Atom("SASL mechanism");
        string? initial = context.Args.AtEnd ? null : context.Args.Atom("initial response");
        context.Args.End();
        if (!mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return CommandResult.No($"Unsupported authentication mechanism {ImapSession.Printable(mechanism)}");
        }
        if (!context.Session.PasswordsAllowed)
        {
            return Authentication.PrivacyRequired();
        }
        if (initial is null)
        {
            context.Writer.Continuation("");
            await context.Writer.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            initial = await context.Session.Reader.ReadContinuationLineAsync(context.CancellationToken).ConfigureAwait(false);
            if (initial is null)
            {
                throw new ConnectionClosedException();
            }
        }
        if (initial == "*")
        {
            return CommandResult.Bad("Authentication cancelled");
        }
        byte[] decoded;
        try
        {
            decoded = initial == "=" ? [] : Convert.FromBase64String(initial);
        }
        catch (FormatException)
        {
            return CommandResult.Bad("Invalid base64 in the SASL response");
        }
        // PLAIN: authzid NUL authcid NUL passwd.
        var parts = Encoding.UTF8.GetString(decoded).Split('\0');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return CommandResult.Bad("Malformed PLAIN response");
        }
        if (parts[0].Length > 0 && parts[0] != parts[1])
        {
            return CommandResult.No("Logging in as another user is not supported", "AUTHORIZATIONFAILED");
        }
        return await Authentication.LogInAsync(context, parts[1], parts[2]).ConfigureAwait(false);
    }
}
