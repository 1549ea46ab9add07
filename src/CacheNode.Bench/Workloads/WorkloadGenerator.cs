namespace CacheNode.Bench.Workloads;

/// <summary>
/// Generates the request files. Every choice comes from a fixed-seed <see cref="Random"/> (whose seeded
/// algorithm .NET keeps stable), so two runs, or two machines, pipe byte-identical files.
/// </summary>
internal static class WorkloadGenerator
{
    public const int HotKeyCount = 100;

    /// <summary>One write in this many requests; the rest are reads.</summary>
    private const int WriteEvery = 10;
    private const int KeySpace = 1_000_000;
    private const int EchoPayloadLength = 16;
    private const int Seed = 20_240_601;

    /// <summary>
    /// 90% reads / 10% writes over <see cref="HotKeyCount"/> hot keys. The file first writes every hot key once:
    /// then no read can miss with error 20, and the bench can treat any error reply as a failure.
    /// </summary>
    public static Workload Mixed(string directory, int requests)
    {
        var path = Path.Combine(directory, "mixed.jsonl");
        var random = new Random(Seed);
        var hotKeys = ChooseHotKeys(random);
        using var file = new RequestFileWriter(path);
        foreach (var key in hotKeys)
        {
            file.Write(key, random.Next(KeySpace));
        }

        for (var i = hotKeys.Length; i < requests; i++)
        {
            var key = hotKeys[random.Next(hotKeys.Length)];
            if (random.Next(WriteEvery) == 0)
            {
                file.Write(key, random.Next(KeySpace));
            }
            else
            {
                file.Read(key);
            }
        }

        return new Workload("mixed", path, requests);
    }

    /// <summary>Echo requests with a short random payload: the protocol cost alone, no cache or database.</summary>
    public static Workload Echo(string directory, int requests)
    {
        var path = Path.Combine(directory, "echo.jsonl");
        var random = new Random(Seed);
        Span<char> payload = stackalloc char[EchoPayloadLength];
        using var file = new RequestFileWriter(path);
        for (var i = 0; i < requests; i++)
        {
            for (var c = 0; c < payload.Length; c++)
            {
                payload[c] = (char)('a' + random.Next(26));
            }

            file.Echo(new string(payload));
        }

        return new Workload("echo", path, requests);
    }

    private static int[] ChooseHotKeys(Random random)
    {
        var keys = new HashSet<int>();
        var ordered = new List<int>(HotKeyCount);
        while (ordered.Count < HotKeyCount)
        {
            var key = random.Next(KeySpace);
            if (keys.Add(key))
            {
                ordered.Add(key);
            }
        }

        return [.. ordered];
    }
}
