namespace ImapProxy.Protocol;

/// <summary>The outcome of one grammar method of <see cref="ImapReader"/> or of a frame read.</summary>
public enum ParseStatus : byte
{
    /// <summary>The element was read completely; the reader stands just after it.</summary>
    Ok,

    /// <summary>The input ends before the element does. Nothing is wrong yet: re-parse from the element's start
    /// once more bytes have arrived. The reader's position is unspecified.</summary>
    NeedMoreData,

    /// <summary>The input does not match the grammar, or a limit was hit; see the reader's error message.</summary>
    Error,
}
