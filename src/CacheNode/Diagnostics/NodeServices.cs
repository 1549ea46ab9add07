namespace CacheNode.Diagnostics;

/// <summary>
/// What nearly every part of the node uses and nothing owns: its clock, its counters and its log. One
/// value travels instead of three parameters; the clock is never a silent default, so tests control it.
/// </summary>
internal sealed record NodeServices(TimeProvider Time, NodeStats Stats, Log Log);
