namespace CacheNode.UnitTests.TestDoubles;

/// <summary>The repository the tests were built from, for tests that check documents against the code.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CacheNode.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CacheNode.sln not found above the test's directory");
    }
}
