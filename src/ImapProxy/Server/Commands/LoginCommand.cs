namespace ImapProxy.Server.Commands;

/// <summary>LOGIN (RFC 3501 §6.2.3).</summary>
internal sealed class LoginCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        var user = context.Args.Astring("user name");
        var password = context.Args.Astring("password");
        context.Args.End();
        if (!context.Session.PasswordsAllowed)
        {
            return ValueTask.FromResult(Authentication.PrivacyRequired());
        }
        return Authentication.LogInAsync(context, user, password);
    }
}
