namespace CacheNode.Bench.Configuration;

/// <summary>Finds the CacheNode build to measure.</summary>
internal static class NodeLocator
{
    private static readonly string RelativeDll = Path.Combine("src", "CacheNode", "bin", "Release", "net10.0", "CacheNode.dll");

    /// <summary>
    /// The given path, or else the Release build in the repository this bench was built from (found by walking
    /// up from the bench's own directory), so <c>dotnet CacheNode.Bench.dll</c> works without flags.
    /// </summary>
    public static string Locate(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given)
                ? Path.GetFullPath(given)
                : throw new BenchOptionsException($"--node {given}: no such file");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativeDll);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new BenchOptionsException($"cannot find {RelativeDll} above {AppContext.BaseDirectory}: build it (dotnet build src/CacheNode -c Release) or pass --node");
    }
}
