namespace ImapProxy.Configuration;

/// <summary>
/// The configuration is unusable. <see cref="Exception.Message"/> is one line that starts with where the problem is:
/// <c>file:line: …</c> for the config file, or the environment variable's name for an override.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="origin">Where the problem is: <c>config.ini:12</c> or <c>IMAPPROXY__GENERAL__LISTEN</c>.</param>
    /// <param name="problem">What is wrong, naming the key.</param>
    public ConfigException(string origin, string problem) : base($"{origin}: {problem}")
    {
        Origin = origin;
        Problem = problem;
    }

    /// <summary>Where the problem is: <c>file:line</c> or an environment variable's name.</summary>
    public string Origin { get; }

    /// <summary>What is wrong, without the origin.</summary>
    public string Problem { get; }
}
