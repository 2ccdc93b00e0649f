using System.Net;

namespace ImapProxy.Configuration;

/// <summary>Builds <see cref="GeneralConfig"/> from the <c>[general]</c> section.</summary>
internal static class GeneralReader
{
    public const int DefaultPort = 1143;

    public static GeneralConfig Read(SectionReader section)
    {
        var listen = section.Endpoint("listen") ?? new IPEndPoint(IPAddress.Loopback, DefaultPort);
        var tlsListen = section.Endpoint("tlslisten");
        var tlsCert = section.ExistingFile("tlscert");
        var tlsKey = section.ExistingFile("tlskey");
        if (tlsListen is not null && tlsCert is null)
            throw section.Error("tlslisten", $"key 'tlslisten' needs 'tlscert' in {section.Name}");
        if (tlsKey is not null && tlsCert is null)
            throw section.Error("tlskey", $"key 'tlskey' needs 'tlscert' in {section.Name}");
        if (tlsListen is not null && tlsListen.Port != 0 && tlsListen.Equals(listen))
            throw section.Error("tlslisten", $"key 'tlslisten' is the same address as 'listen' ({listen})");

        return new GeneralConfig
        {
            Maildir = section.Path("maildir") ?? section.Paths.DefaultMaildir,
            StateDir = section.Path("statedir") ?? section.Paths.DefaultStateDir,
            Listen = listen,
            TlsListen = tlsListen,
            TlsCertificate = tlsCert,
            TlsKey = tlsKey,
            LogLevel = section.Choice("loglevel", ConfigKeys.LogLevels) ?? Microsoft.Extensions.Logging.LogLevel.Information,
        };
    }
}
