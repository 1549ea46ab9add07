namespace CacheNode.Maelstrom.History;

/// <summary>
/// One completed client operation on one key, as the checker sees it. Register values are small
/// integers (Maelstrom's lin-kv workload writes 0..4); null means "the key does not exist".
/// </summary>
/// <param name="Id">Unique within a history (its index in invocation order).</param>
/// <param name="Process">The client process that issued it (a process runs one operation at a time).</param>
/// <param name="Kind">Read, write or cas.</param>
/// <param name="Key">The key (compact JSON text).</param>
/// <param name="Value">Write: the value written. Cas: the new value (to). Read with status Ok: the value read (null: key missing).</param>
/// <param name="From">Cas only: the expected current value.</param>
/// <param name="Invoke">When the request was sent (nanoseconds since the test began).</param>
/// <param name="Complete">When the reply arrived; <see cref="long.MaxValue"/> for <see cref="OpStatus.Info"/> operations.</param>
/// <param name="Status">How it ended.</param>
internal sealed record Operation(
    int Id,
    int Process,
    OpKind Kind,
    string Key,
    int? Value,
    int? From,
    long Invoke,
    long Complete,
    OpStatus Status)
{
    public override string ToString() => Kind switch
    {
        OpKind.Read => $"#{Id} p{Process} read {Key} -> {Show(Value)} [{Status}]",
        OpKind.Write => $"#{Id} p{Process} write {Key} {Show(Value)} [{Status}]",
        _ => $"#{Id} p{Process} cas {Key} {Show(From)}->{Show(Value)} [{Status}]",
    };

    private static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nil";
}
