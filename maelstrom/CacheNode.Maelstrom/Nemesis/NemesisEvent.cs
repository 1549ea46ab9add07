namespace CacheNode.Maelstrom.Nemesis;

/// <summary>A fault starting or healing, for the report's timeline.</summary>
internal sealed record NemesisEvent(double TimeMs, string Description);
