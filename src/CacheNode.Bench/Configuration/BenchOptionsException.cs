namespace CacheNode.Bench.Configuration;

/// <summary>A bad command line: the tool prints the message and exits 2 before measuring anything.</summary>
internal sealed class BenchOptionsException(string message) : Exception(message);
