namespace CacheNode.Bench.Running;

/// <summary>One spawn: time from process start to its <c>init_ok</c> and its resident set once idle, or why there was none.</summary>
internal sealed record StartupSample(TimeSpan ToInitOk, long? IdleRssBytes, string? Problem);
