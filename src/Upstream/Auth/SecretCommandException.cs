namespace ImapProxy.Upstream.Auth;

/// <summary>A secret command failed; the message names the command's label and never its output.</summary>
public sealed class SecretCommandException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public SecretCommandException(string message) : base(message)
    {
    }
}
