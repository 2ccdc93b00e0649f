namespace ImapProxy.TestSupport;

internal static class Placeholder
{
}
