namespace CacheNode.Bench.Running;

/// <summary>Writes the whole request file to a child's stdin, concurrently with reading its replies.</summary>
internal static class RequestFeeder
{
    /// <summary>Completes with null when everything was written, or with why not (the child closed its stdin, e.g. by dying).</summary>
    public static Task<string?> Start(Stream stdin, byte[] requests) =>
        BlockingWork.Run(() =>
        {
            try
            {
                stdin.Write(requests);
                stdin.Flush();
                return (string?)null;
            }
            catch (IOException ex)
            {
                return $"the child stopped reading its stdin ({ex.Message})";
            }
        });
}
