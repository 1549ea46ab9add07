namespace CacheNode.Maelstrom.Net;

/// <summary>Shortens a message line for failure and warning texts, which quote what a node sent.</summary>
internal static class LineText
{
    private const int MaxChars = 200;

    public static string Truncate(string line) => line.Length <= MaxChars ? line : line[..MaxChars] + "…";
}
