using System.Text.Json;

namespace CacheNode.Protocol;

/// <summary>How deeply a message body may nest objects and arrays: the one limit, answered with error 12.</summary>
internal static class JsonNesting
{
    /// <summary>The body object counts as one level; System.Text.Json's default, which binding uses.</summary>
    public const int MaxDepth = 64;

    /// <summary>How many objects and arrays are nested at the deepest point of <paramref name="json"/> (0 for a scalar).</summary>
    public static int DepthOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var deepest = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    deepest = Math.Max(deepest, reader.CurrentDepth + 1);
                }
            }
        }
        catch (JsonException)
        {
            // Invalid further on: the depth seen so far is what counts.
        }

        return deepest;
    }
}
