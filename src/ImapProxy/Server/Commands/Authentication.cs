using Microsoft.Extensions.Logging;

namespace ImapProxy.Server.Commands;

/// <summary>The part LOGIN and AUTHENTICATE share: the privacy rule, the credential check, the delay after failure.</summary>
internal static class Authentication
{
    public static CommandResult PrivacyRequired() =>
        CommandResult.No("Plain-text passwords are refused on an unencrypted, non-loopback connection; use STARTTLS", "PRIVACYREQUIRED");

    public static async ValueTask<CommandResult> LogInAsync(CommandContext context, string user, string password)
    {
        var session = context.Session;
        var account = await session.Accounts.AuthenticateAsync(user, password, context.CancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            // Never log the password; the user name is sanitized since it comes from the network.
            session.Logger.LogWarning("Failed login for user {User} from {Remote}", ImapSession.Printable(user), session.Remote);
            await Task.Delay(session.Options.FailedLoginDelay, context.CancellationToken).ConfigureAwait(false);
            return CommandResult.No("Authentication failed", "AUTHENTICATIONFAILED");
        }
        session.LogIn(account);
        session.Logger.LogInformation("User {User} logged in from {Remote}", ImapSession.Printable(user), session.Remote);
        return CommandResult.Ok("Logged in", "CAPABILITY " + Capabilities.ForLoggedIn(session));
    }
}
