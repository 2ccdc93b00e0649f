namespace ImapProxy.Upstream.Client;

/// <summary>Something the server reported on its own: changes in the selected mailbox, alerts, goodbye.</summary>
public abstract record ImapEvent;

/// <summary><c>* n EXISTS</c>: the selected mailbox now holds <paramref name="Count"/> messages.</summary>
public sealed record ExistsEvent(uint Count) : ImapEvent;

/// <summary><c>* n EXPUNGE</c>: message number <paramref name="SequenceNumber"/> is gone.</summary>
public sealed record ExpungeEvent(uint SequenceNumber) : ImapEvent;

/// <summary><c>* VANISHED</c> (QRESYNC): these UIDs are gone.</summary>
public sealed record VanishedEvent(UidSet Uids, bool Earlier) : ImapEvent;

/// <summary>An unsolicited FETCH, typically a flag change made by another client.</summary>
public sealed record FetchEvent(FetchedMessage Message) : ImapEvent;

/// <summary><c>[ALERT]</c>: text the RFC says must be shown to the user.</summary>
public sealed record AlertEvent(string Text) : ImapEvent;

/// <summary><c>* BYE</c>: the server is closing the connection.</summary>
public sealed record ByeEvent(string Text) : ImapEvent;
