using System.Text.Json.Serialization;
using CacheNode.Protocol.Messages;

namespace CacheNode.Protocol;

/// <summary>The one source-generated JSON context for every message body the node reads or writes.</summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Default,
    // Maelstrom sends extra fields (msg_id, type, and whatever a client adds); they are ignored.
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    // Exact types only: "1" is not a number and 1 is not a string.
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(InitRequest))]
[JsonSerializable(typeof(InitOk))]
[JsonSerializable(typeof(EchoRequest))]
[JsonSerializable(typeof(EchoOk))]
[JsonSerializable(typeof(ReadRequest))]
[JsonSerializable(typeof(ReadOk))]
[JsonSerializable(typeof(WriteRequest))]
[JsonSerializable(typeof(WriteOk))]
[JsonSerializable(typeof(CasRequest))]
[JsonSerializable(typeof(CasOk))]
[JsonSerializable(typeof(InvalidateRequest))]
[JsonSerializable(typeof(InvalidateOk))]
[JsonSerializable(typeof(FlushRequest))]
[JsonSerializable(typeof(FlushOk))]
[JsonSerializable(typeof(StatsRequest))]
[JsonSerializable(typeof(StatsOk))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(FillRequest))]
[JsonSerializable(typeof(RenewRequest))]
[JsonSerializable(typeof(RenewOk))]
[JsonSerializable(typeof(FillOk))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(RevokeOk))]
[JsonSerializable(typeof(BackupRequest))]
[JsonSerializable(typeof(BackupOk))]
[JsonSerializable(typeof(RecoverRequest))]
[JsonSerializable(typeof(RecoverOk))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
