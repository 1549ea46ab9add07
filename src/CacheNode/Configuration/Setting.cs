namespace CacheNode.Configuration;

/// <summary>One setting: its environment variable, the matching flag, help text, and how a value applies.</summary>
internal sealed record Setting(string Name, string Help, string Default, Func<NodeOptions, string, NodeOptions> Apply)
{
    /// <summary>What every setting's environment variable starts with.</summary>
    public const string Prefix = "CACHENODE_";

    /// <summary>The environment variable, e.g. <c>CACHENODE_TTL_MS</c>.</summary>
    public string EnvironmentVariable => Prefix + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>The flag, e.g. <c>--ttl-ms</c>.</summary>
    public string Flag => "--" + Name;
}
