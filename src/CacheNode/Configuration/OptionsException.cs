namespace CacheNode.Configuration;

/// <summary>A bad setting: the node prints the message and exits non-zero before reading any input.</summary>
internal sealed class OptionsException(string message) : Exception(message);
