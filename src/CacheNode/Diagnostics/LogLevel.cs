namespace CacheNode.Diagnostics;

/// <summary>Verbosity of the stderr log (<c>CACHENODE_LOG</c>).</summary>
internal enum LogLevel
{
    Error = 0,
    Warn = 1,
    Info = 2,
    Debug = 3,
}
