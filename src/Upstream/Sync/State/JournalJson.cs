using System.Text.Json.Serialization;

namespace ImapProxy.Upstream.Sync.State;

/// <summary>
/// The journal's JSON, generated at compile time: no reflection over <see cref="JournalIntent"/> at run time, so the
/// serializer is trim- and NativeAOT-safe and costs no start-up JIT. Default options, so the text matches what the
/// reflection serializer wrote into existing journals (property names as declared).
/// </summary>
[JsonSerializable(typeof(JournalIntent))]
internal sealed partial class JournalJson : JsonSerializerContext;
