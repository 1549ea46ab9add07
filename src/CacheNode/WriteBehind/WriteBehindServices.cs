using CacheNode.Diagnostics;

namespace CacheNode.WriteBehind;

/// <summary>The node-wide services every part of write-behind uses: its clock, its counters and its log.</summary>
internal sealed record WriteBehindServices(TimeProvider Time, NodeStats Stats, Log Log);
